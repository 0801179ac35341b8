#define BOOST_TEST_MODULE stats_test
#include <boost/test/unit_test.hpp>
