#define BOOST_TEST_MODULE stream_test
// The live stream (PROTOCOL.md §6 GET /api/v1/stream). hub_test.cpp: its parts
// without sockets.
#include <boost/test/unit_test.hpp>
