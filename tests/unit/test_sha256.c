/* SHA-256 against the FIPS 180-2 / NIST example vectors, and the
 * incremental API against the one-shot one at every block boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <string.h>

#include "handover/handover.h"
#include "sha256.h"

static void check_hex(const char *msg, const char *want)
{
	char out[65];
	ho_sha256_hex(msg, strlen(msg), out);
	assert_string_equal(out, want);
}

static void test_empty(void **state)
{
	(void)state;
	check_hex("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_empty_null_pointer(void **state)
{
	char out[65];
	(void)state;
	ho_sha256_hex(NULL, 0, out);
	assert_string_equal(out,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	check_hex("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	(void)state;
	check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	(void)state;
	check_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	          "klmnopqrlmnopqrsmnopqrstnopqrstu",
	          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a' fed in chunks of odd, changing sizes so that updates
 * straddle block boundaries in every way. */
static void test_million_a_incremental(void **state)
{
	char chunk[997];
	ho_sha256_ctx c;
	char out[65];
	size_t left = 1000000, step = 1;
	(void)state;

	memset(chunk, 'a', sizeof chunk);
	ho_sha256_init(&c);
	while (left > 0) {
		size_t n = step < left ? step : left;
		ho_sha256_update(&c, chunk, n);
		left -= n;
		step = (step * 7 + 3) % sizeof chunk + 1;
	}
	ho_sha256_final_hex(&c, out);
	assert_string_equal(out,
	                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundaries: 55 bytes still takes the length in
 * the same block, 56 needs a second one. */
static void test_padding_boundaries(void **state)
{
	static const struct {
		size_t n;
		const char *hex;
	} cases[] = {
	    {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
	    {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
	    {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
	    {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
	    {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
	    {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
	    {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
	};
	char buf[128];
	char out[65];
	(void)state;

	memset(buf, 'a', sizeof buf);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ho_sha256_hex(buf, cases[i].n, out);
		assert_string_equal(out, cases[i].hex);
	}
}

/* Splitting a message at any point, with empty updates mixed in, must not
 * change its hash. */
static void test_split_anywhere(void **state)
{
	unsigned char msg[200];
	char whole[65], parts[65];
	(void)state;

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 31 + 7);
	ho_sha256_hex(msg, sizeof msg, whole);
	for (size_t cut = 0; cut <= sizeof msg; cut++) {
		ho_sha256_ctx c;
		ho_sha256_init(&c);
		ho_sha256_update(&c, msg, cut);
		ho_sha256_update(&c, NULL, 0);
		ho_sha256_update(&c, msg + cut, sizeof msg - cut);
		ho_sha256_final_hex(&c, parts);
		assert_string_equal(parts, whole);
	}
}

/* Where the CPU has SHA instructions the core uses them: the same digests
 * as the portable code, for every length over several blocks and the NIST
 * vectors again under the portable code. */
static void test_both_implementations_agree(void **state)
{
	unsigned char msg[700];
	char fast[65], portable[65];
	(void)state;

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 131 + (i >> 3));
	for (size_t len = 0; len <= sizeof msg; len++) {
		ho_sha256_use_portable(0);
		ho_sha256_hex(msg, len, fast);
		ho_sha256_use_portable(1);
		ho_sha256_hex(msg, len, portable);
		assert_string_equal(fast, portable);
	}
	check_hex("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ho_sha256_use_portable(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_empty_null_pointer),
	    cmocka_unit_test(test_abc),
	    cmocka_unit_test(test_448_bits),
	    cmocka_unit_test(test_896_bits),
	    cmocka_unit_test(test_million_a_incremental),
	    cmocka_unit_test(test_padding_boundaries),
	    cmocka_unit_test(test_split_anywhere),
	    cmocka_unit_test(test_both_implementations_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
