/* Test-facing, not part of the user API (include/handover/): opening a
 * handover file's bytes held in memory. The fuzz target for damaged files
 * uses it so that each of its inputs needs no file written, synced and
 * removed, while still going through ho_open()'s own checks. */
#ifndef HANDOVER_STORE_IMAGE_H
#define HANDOVER_STORE_IMAGE_H

#include <stddef.h>

#include "handover/handover.h"

/* Open a copy of the `len` bytes at `bytes` as if they were the file
 * `name` (the name is used only in messages), read-write. The same checks
 * as ho_open() on an existing file: the header (SQLite, our application
 * id, not newer, not truncated), the defensive SQLite configuration, the
 * application id and format read through SQLite, the migrations. What
 * differs: no -wal file can exist beside an image (a file marked for WAL
 * is read as its main file alone, as ho_open reads it when its -wal is
 * empty), the journal is SQLite's in-memory one, and changes stay in
 * memory, gone at ho_close().
 * *out is set as by ho_open() (a handle carrying the reason even on
 * failure; ho_close() it). */
ho_status store_open_image(const char *name, const void *bytes, size_t len, ho_db **out);

#endif
