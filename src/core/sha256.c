/* SHA-256 as specified in FIPS 180-4, sections 4.1.2, 4.2.2, 5.1.1, 6.2. */
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void compress_portable(uint32_t state[8], const unsigned char block[64])
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}

	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (int t = 0; t < 64; t++) {
		uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t choose = (e & f) ^ (~e & g);
		uint32_t t1 = h + sum1 + choose + round_constants[t] + w[t];
		uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = sum0 + majority;
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/* The same compression with the x86 SHA extensions (Intel since Goldmont
 * and Ice Lake, AMD since Zen): verify hashes the whole history and every
 * row, and this makes that several times faster. Four rounds at a time;
 * the state is kept as ABEF and CDGH, the order the instructions want. */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_x86(uint32_t state[8],
                                                                     const unsigned char block[64])
{
	const __m128i order = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
	__m128i s0 = _mm_alignr_epi8(tmp, s1, 8);
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);
	const __m128i abef = s0, cdgh = s1;
	__m128i w[4];
	for (int g = 0; g < 16; g++) {
		__m128i m;
		if (g < 4) {
			m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)),
			                     order);
		} else {
			/* W[t..t+3] from W[t-16..t-1]: sigma0 of the oldest two groups,
			 * the middle words, then sigma1 of the newest group. */
			m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
			m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
			m = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
		}
		w[g & 3] = m;
		__m128i k =
		    _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&round_constants[4 * g]));
		s1 = _mm_sha256rnds2_epu32(s1, s0, k);
		s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
	}
	s0 = _mm_add_epi32(s0, abef);
	s1 = _mm_add_epi32(s1, cdgh);
	tmp = _mm_shuffle_epi32(s0, 0x1B);
	s1 = _mm_shuffle_epi32(s1, 0xB1);
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);
	s1 = _mm_alignr_epi8(s1, tmp, 8);
	_mm_storeu_si128((__m128i *)&state[0], s0);
	_mm_storeu_si128((__m128i *)&state[4], s1);
}

static int have_sha_extensions(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0; /* CPUID.(EAX=7,ECX=0):EBX.SHA */
}
#endif

/* Which compression: 0 not chosen yet, 1 portable, 2 SHA extensions. */
static int which;

void ho_sha256_use_portable(int on)
{
	which = on ? 1 : 0;
}

static void compress(uint32_t state[8], const unsigned char block[64])
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	/* HO_SHA256_PORTABLE=1 forces the portable code. */
	if (which == 0) {
		const char *env = getenv("HO_SHA256_PORTABLE");
		which = (env && *env == '1') || !have_sha_extensions() ? 1 : 2;
	}
	if (which == 2) {
		compress_x86(state, block);
		return;
	}
#endif
	compress_portable(state, block);
}

void ho_sha256_init(ho_sha256_ctx *c)
{
	/* First 32 bits of the fractional parts of the square roots of the
	 * first 8 primes (FIPS 180-4, 5.3.3). */
	static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->state, initial, sizeof initial);
	c->length = 0;
	c->used = 0;
}

void ho_sha256_update(ho_sha256_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	/* An empty update may come with a NULL pointer, which memcpy may not
	 * be given even for zero bytes. */
	if (len == 0)
		return;
	c->length += len;
	if (c->used > 0) {
		size_t take = sizeof c->block - c->used;
		if (take > len)
			take = len;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		len -= take;
		if (c->used < sizeof c->block)
			return;
		compress(c->state, c->block);
		c->used = 0;
	}
	/* Whole blocks straight from the caller's buffer, without a copy. */
	for (; len >= 64; p += 64, len -= 64)
		compress(c->state, p);
	if (len > 0) {
		memcpy(c->block, p, len);
		c->used = len;
	}
}

void ho_sha256_final(ho_sha256_ctx *c, unsigned char out[32])
{
	uint64_t bits = c->length * 8;

	/* Padding: a 1 bit, zeros up to 56 bytes mod 64, then the message
	 * length in bits, big-endian (FIPS 180-4, 5.1.1). */
	c->block[c->used++] = 0x80;
	if (c->used > 56) {
		memset(c->block + c->used, 0, sizeof c->block - c->used);
		compress(c->state, c->block);
		c->used = 0;
	}
	memset(c->block + c->used, 0, 56 - c->used);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(c->state, c->block);
	c->used = 0;

	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(c->state[i] >> (24 - 8 * j));
}

void ho_sha256_hex_of(const unsigned char raw[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0x0f];
	}
	out[64] = '\0';
}

void ho_sha256_final_hex(ho_sha256_ctx *c, char out[65])
{
	unsigned char raw[32];
	ho_sha256_final(c, raw);
	ho_sha256_hex_of(raw, out);
}

void ho_sha256_hex(const void *data, size_t len, char out[65])
{
	ho_sha256_ctx c;
	ho_sha256_init(&c);
	ho_sha256_update(&c, data, len);
	ho_sha256_final_hex(&c, out);
}
