#define BOOST_TEST_MODULE e2e_test
#include <boost/test/unit_test.hpp>
