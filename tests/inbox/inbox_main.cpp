// signaal-inbox tests: the client's own parts in process, the real binary for
// its command line, and the real server over TLS on loopback end to end.
#define BOOST_TEST_MODULE signaal_inbox
#include <boost/test/unit_test.hpp>
