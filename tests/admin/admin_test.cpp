#define BOOST_TEST_MODULE admin_test
#include <boost/test/unit_test.hpp>
