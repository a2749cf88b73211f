/* The clock as a build for use has it (compiled without HO_TEST_HOOKS, as
 * -DHO_TESTS=OFF builds are): HANDOVER_NOW is a test hook and must not
 * date anyone's changes there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "handover/handover.h"
#include "handover/testhook.h"

static void test_handover_now_ignored(void **state)
{
	assert_int_equal(ho_clock_env_honoured(), 0);
	setenv("HANDOVER_NOW", "2030-01-02T03:04:05Z", 1);
	ho_clock_set(0);
	int64_t before = (int64_t)time(NULL);
	int64_t now = ho_now();
	int64_t after = (int64_t)time(NULL);
	assert_true(now >= before && now <= after);
	/* The library's own fixed clock (ho_clock_set) still works: it is how
	 * the core is tested, not a setting anyone can leave behind. */
	ho_clock_set(1795341600);
	assert_int_equal(ho_now(), 1795341600);
	ho_clock_set(0);
	unsetenv("HANDOVER_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handover_now_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
