/* SHA-256 (FIPS 180-4), incremental, for the history hash chain. Internal to
 * the core; the public one-shot form is ho_sha256_hex() in handover.h. */
#ifndef HANDOVER_SHA256_H
#define HANDOVER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct ho_sha256_ctx {
	uint32_t state[8];
	uint64_t length; /* bytes hashed so far */
	unsigned char block[64];
	size_t used; /* bytes waiting in block */
} ho_sha256_ctx;

void ho_sha256_init(ho_sha256_ctx *c);
void ho_sha256_update(ho_sha256_ctx *c, const void *data, size_t len);
/* Finish: 64 lowercase hex digits and a NUL. The context must be
 * initialised again before reuse. */
void ho_sha256_final_hex(ho_sha256_ctx *c, char out[65]);
/* Finish with the 32 bytes of the digest. */
void ho_sha256_final(ho_sha256_ctx *c, unsigned char out[32]);
/* 32 digest bytes as 64 lowercase hex digits and a NUL. */
void ho_sha256_hex_of(const unsigned char raw[32], char out[65]);

/* 1: use the portable code even where the CPU has SHA instructions; 0:
 * choose again (tests compare the two). */
void ho_sha256_use_portable(int on);

#endif
