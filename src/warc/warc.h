/*
 * This file declares sheaf's WARC 1.1 codec (ISO 28500:2017): a writer that
 * appends records to a .warc.gz file, one gzip member per record, with
 * record ids, dates and SHA-1 digests; a reader that iterates the records of
 * .warc and .warc.gz files (multi-member or whole-file gzip, or none); and
 * the HTTP/1.x message parsing that a response record's block needs
 * (status line, headers, chunked transfer coding, gzip/deflate/br content
 * coding). It is the only internal header of src/warc. The fetch stage
 * writes with it; the import stage reads with it. Nothing here touches the
 * network.
 *
 * Ownership: every struct the caller passes in is borrowed for the call.
 * Every string the reader hands out is borrowed from the reader and valid
 * until the next sheaf_warc_reader_next() or _free(). Errors are values
 * (sheaf_status) with an ERROR entry in the `diag` given, never a print.
 */
#ifndef SHEAF_WARC_H
#define SHEAF_WARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ======================================================================
 * Shared pieces
 * ====================================================================== */

/* The record types of WARC 1.1 section 6; OTHER for a type this reader
 * does not know (kept, since the format is extensible). */
enum sheaf_warc_type {
  SHEAF_WARC_OTHER = 0,
  SHEAF_WARC_WARCINFO,
  SHEAF_WARC_RESPONSE,
  SHEAF_WARC_RESOURCE,
  SHEAF_WARC_REQUEST,
  SHEAF_WARC_METADATA,
  SHEAF_WARC_REVISIT,
  SHEAF_WARC_CONVERSION,
  SHEAF_WARC_CONTINUATION
};

/* "response", "revisit", ... ("unknown" for OTHER). Static string. */
const char *sheaf_warc_type_name(enum sheaf_warc_type t);

/* The revisit profile of a 304 answer to a conditional request. */
#define SHEAF_WARC_PROFILE_NOT_MODIFIED                                                  \
  "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#define SHEAF_WARC_PROFILE_IDENTICAL                                                     \
  "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

/* A WARC-Record-ID with its angle brackets: "<urn:uuid:" 36 ">" NUL. */
#define SHEAF_WARC_ID_SIZE 48

/* Writes a new random (v4) record id "<urn:uuid:...>" into `out`, from
 * getrandom(2) (else /dev/urandom, else the clock and address bits: ids
 * must be unique, not secret). */
void sheaf_warc_new_id(char out[SHEAF_WARC_ID_SIZE]);

/* Writes the "sha1:" + base32 (RFC 4648) labelled digest of a 20-byte SHA-1
 * into out (at least 38 bytes: "sha1:" + 32 + NUL). */
void sheaf_warc_sha1_label(const unsigned char sha1[20], char out[40]);

/* Block and payload SHA-1 of a block fed in pieces (writer and reader).
 * With `http`, the payload is what follows the first blank line (CRLFCRLF,
 * or LFLF) of the block: the HTTP message's body as sent. */
struct sheaf_warc_digests {
  struct sheaf_sha1 block, payload;
  bool http;      /* look for the end of an HTTP header */
  bool in_body;   /* found it: the payload digest is running */
  unsigned state; /* progress through the blank line */
};
void sheaf_warc_digests_init(struct sheaf_warc_digests *d, bool http);
void sheaf_warc_digests_update(struct sheaf_warc_digests *d, const void *p, size_t n);

/* ======================================================================
 * Writer
 * ====================================================================== */

struct sheaf_warc_writer;

/* What the caller says about one record; every field may be left 0/NULL
 * except `type`. Strings are borrowed for the call and written as given
 * (after a check that they hold no CR, LF or other control character:
 * a header injection is refused with SHEAF_ERR_USAGE). */
struct sheaf_warc_record {
  enum sheaf_warc_type type;
  const char *target_uri;    /* WARC-Target-URI, written without <> */
  const char *content_type;  /* e.g. "application/http;msgtype=response" */
  const char *concurrent_to; /* WARC-Concurrent-To: a record id with <> */
  const char *ip_address;    /* WARC-IP-Address */
  const char *warcinfo_id;   /* WARC-Warcinfo-ID: a record id with <> */
  int64_t date;              /* WARC-Date, UTC seconds; 0: now */
  /* revisit records only: */
  const char *profile;          /* WARC-Profile; NULL: server-not-modified */
  const char *refers_to;        /* WARC-Refers-To: a record id with <> */
  const char *refers_to_target; /* WARC-Refers-To-Target-URI */
  int64_t refers_to_date;       /* WARC-Refers-To-Date; 0: none */
  /* Set by the writer when the record is written: */
  char id[SHEAF_WARC_ID_SIZE]; /* in: "" for a new random id, or an id the
                                  caller made with sheaf_warc_new_id() (to
                                  cross-link a request and a response
                                  before either is written); out: the id */
  uint64_t offset;             /* out: where its gzip member starts */
};

/* Returns a new writer that appends to `fd` (borrowed: the caller opens,
 * fsyncs, renames and closes it; records are written at the descriptor's
 * current position with write(2)). `name` (copied) names the file in
 * messages. Returns NULL with *status SHEAF_ERR_NOMEM. */
struct sheaf_warc_writer *sheaf_warc_writer_new(int fd, const char *name,
                                                sheaf_status *status);
/* Frees the writer; never closes the descriptor. NULL is fine. */
void sheaf_warc_writer_free(struct sheaf_warc_writer *w);

/* Appends one record whose block is block[0..len) (in memory), as one gzip
 * member. For content types "application/http..." the payload digest is
 * taken over the bytes after the HTTP header's blank line (as wget and
 * warcio do; the transfer coding is left in place), and written only when
 * such a blank line exists. Fills r->id and r->offset. Returns SHEAF_OK,
 * SHEAF_ERR_USAGE (a control character in a field), SHEAF_ERR_NOMEM or
 * SHEAF_ERR_WRITE; each failure but NOMEM with an error in `diag`. After
 * a failed write the file may end in a partial member: the caller drops the
 * file (the reader skips such a tail with a warning anyway). */
sheaf_status sheaf_warc_write(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                              const void *block, size_t len, sheaf_diag *diag);
/* The same with the block in a file: bytes [0, len) of `fd` (borrowed; read
 * with pread(2), so its offset is untouched), e.g. a response spooled to an
 * unlinked temp file (sheaf_temp_open()). The file is read twice, first
 * for the digests (the header comes before the block and carries them),
 * then to copy it; memory stays bounded by a 64 KB buffer whatever `len`.
 * Returns as sheaf_warc_write(), and SHEAF_ERR_IO when `fd` cannot be read
 * or is shorter than `len`. */
sheaf_status sheaf_warc_write_fd(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                                 int fd, uint64_t len, sheaf_diag *diag);
/* Appends a warcinfo record (application/warc-fields) naming the software
 * ("sheaf"), its version, the command line (one string, as the user typed
 * it), and the capture's start time (UTC seconds; 0: now), plus
 * format/conformsTo. `filename` (may be NULL) becomes WARC-Filename. Fills
 * r->id (for WARC-Warcinfo-ID of later records) and r->offset. */
sheaf_status sheaf_warc_write_warcinfo(struct sheaf_warc_writer *w,
                                       struct sheaf_warc_record *r, const char *filename,
                                       const char *software, const char *version,
                                       const char *command_line, int64_t start,
                                       sheaf_diag *diag);
/* Bytes written so far (compressed), for size limits per run. */
uint64_t sheaf_warc_writer_size(const struct sheaf_warc_writer *w);

/* ======================================================================
 * Reader
 * ====================================================================== */

/* Where the reader gets bytes from: `read` fills buf with up to n bytes and
 * returns how many (0 at the end), or -1 on an error with errno set. */
struct sheaf_warc_source {
  long long (*read)(void *ctx, void *buf, size_t n);
  void *ctx;
};

struct sheaf_warc_limits {
  /* Most bytes read from the file after gzip inflation, all records
   * together (a gzip bomb stops here with SHEAF_ERR_LIMIT, as an input
   * file over --max-input-size does); 0: SHEAF_DEFAULT_MAX_INPUT_SIZE. */
  uint64_t max_size;
  /* Largest WARC header (1 MB when 0): past it, SHEAF_ERR_PARSE. */
  size_t max_header;
  bool verify_digests; /* check sha1 WARC-Block-Digest and, for HTTP
                          blocks, WARC-Payload-Digest when each record is
                          read to its end: a mismatch is a warning */
};

/* One named field of a record's header, as read (name and value trimmed,
 * continuation lines joined by a space). */
struct sheaf_warc_field {
  const char *name, *value;
};

/* A record's header, as sheaf_warc_reader_next() returns it. Every pointer
 * is borrowed from the reader (valid until the next call). */
struct sheaf_warc_header {
  enum sheaf_warc_type type;
  const char *type_name;    /* the WARC-Type as written */
  const char *version;      /* "WARC/1.1", "WARC/1.0" */
  const char *record_id;    /* with its <>, or NULL */
  const char *target_uri;   /* <> removed when written with them, or NULL */
  const char *content_type; /* or NULL */
  const char *date_text;    /* WARC-Date as written, or NULL */
  int64_t date;             /* parsed, or SHEAF_TIME_UNKNOWN */
  const char *refers_to;    /* revisit: WARC-Refers-To, or NULL */
  const char *refers_to_target;
  int64_t refers_to_date;   /* or SHEAF_TIME_UNKNOWN */
  const char *profile;      /* revisit: WARC-Profile, or NULL */
  const char *block_digest; /* or NULL */
  const char *payload_digest;
  const char *truncated;                 /* WARC-Truncated, or NULL */
  uint64_t content_length;               /* the block's length */
  uint64_t offset;                       /* where the record starts in the file: its gzip
                                            member's offset when compressed per record,
                                            else the byte offset (of the inflated stream
                                            for a whole-file gzip) */
  const struct sheaf_warc_field *fields; /* every field, in order */
  size_t nfields;
};

struct sheaf_warc_reader;

/* Returns a new reader of `src` (borrowed; it must outlive the reader).
 * `name` (copied) names the file in messages; `lim` may be NULL. The
 * compression is told from the first bytes. Returns NULL with *status
 * SHEAF_ERR_NOMEM. */
struct sheaf_warc_reader *sheaf_warc_reader_new(const struct sheaf_warc_source *src,
                                                const char *name,
                                                const struct sheaf_warc_limits *lim,
                                                sheaf_status *status);
void sheaf_warc_reader_free(struct sheaf_warc_reader *r);

/* Reads the next record's header into *h, skipping whatever is left of the
 * previous record's block. Returns SHEAF_OK with *h filled, and sets *eof
 * (then *h is not filled) at the end of the file. A truncated last record
 * (the file ends inside its header or block, or its Content-Length runs
 * past the end) is a warning in `diag` and then the end. Errors (each with
 * a message naming the file and offset): SHEAF_ERR_PARSE for a header that
 * is not WARC or too long, SHEAF_ERR_LIMIT for a record over max_record,
 * SHEAF_ERR_IO, SHEAF_ERR_NOMEM. */
sheaf_status sheaf_warc_reader_next(struct sheaf_warc_reader *r,
                                    struct sheaf_warc_header *h, bool *eof,
                                    sheaf_diag *diag);
/* Reads up to n bytes of the current record's block into buf; *got is 0 at
 * the block's end. Returns as sheaf_warc_reader_next() (a truncation is a
 * warning, then *got 0). */
sheaf_status sheaf_warc_reader_read(struct sheaf_warc_reader *r, void *buf, size_t n,
                                    size_t *got, sheaf_diag *diag);
/* Appends the rest of the current record's block to `out` (whose max, when
 * set, bounds it: over it, SHEAF_ERR_LIMIT with a message). */
sheaf_status sheaf_warc_reader_load(struct sheaf_warc_reader *r, struct sheaf_buf *out,
                                    sheaf_diag *diag);
/* Whether the last record was cut short (its block ended before
 * Content-Length bytes); its bytes are then incomplete. */
bool sheaf_warc_reader_truncated(const struct sheaf_warc_reader *r);
/* The value of field `name` (ASCII case-insensitive) in `h`, or NULL. */
const char *sheaf_warc_field(const struct sheaf_warc_header *h, const char *name);

/* Sources over memory and a file descriptor. The struct holds the state;
 * the bytes (or descriptor) are borrowed. */
struct sheaf_warc_mem {
  struct sheaf_warc_source src;
  const unsigned char *p;
  size_t n, pos;
};
void sheaf_warc_mem_init(struct sheaf_warc_mem *m, const void *p, size_t n);
struct sheaf_warc_fd {
  struct sheaf_warc_source src;
  int fd;
};
void sheaf_warc_fd_init(struct sheaf_warc_fd *f, int fd);

/* ======================================================================
 * HTTP messages (a response or revisit block)
 * ====================================================================== */

struct sheaf_http_header {
  struct sheaf_str name, value; /* views into the parsed block, trimmed */
};

struct sheaf_http_response {
  int status;                        /* 200, 304, ...; 0 for a request */
  struct sheaf_str reason;           /* "OK" */
  struct sheaf_http_header *headers; /* owned; freed by _fini */
  size_t nheaders;
  size_t body_off; /* where the body starts in the block */
};

/* Parses the status line and header of an HTTP/1.x response in
 * block[0..n) (bare LF line ends and folded lines accepted). At most 1,000
 * header lines and 1 MB of header. Returns SHEAF_OK, SHEAF_ERR_PARSE (not
 * an HTTP response; `why` says why, a static string, when not NULL) or
 * SHEAF_ERR_NOMEM. `resp` views into `block`, which must outlive it; free
 * it with sheaf_http_response_fini() whatever the return. */
sheaf_status sheaf_http_parse_response(const char *block, size_t n,
                                       struct sheaf_http_response *resp,
                                       const char **why);
void sheaf_http_response_fini(struct sheaf_http_response *resp);
/* The first header `name` (case-insensitive); false when absent. */
bool sheaf_http_header_get(const struct sheaf_http_response *resp, const char *name,
                           struct sheaf_str *value);

/* Appends the body of a parsed response to `out`: the transfer coding
 * (chunked) undone, then the content codings (gzip, x-gzip, deflate as
 * zlib or raw, br; identity), in reverse order of Content-Encoding. `out`'s
 * max bounds the result (a bomb stops there: SHEAF_ERR_LIMIT). A body cut
 * short (a truncated chunk or gzip stream) keeps what was decoded and sets
 * *partial when not NULL. Returns SHEAF_OK, SHEAF_ERR_LIMIT,
 * SHEAF_ERR_PARSE (an unknown coding or corrupt data; *why says which) or
 * SHEAF_ERR_NOMEM. */
sheaf_status sheaf_http_decode_body(const struct sheaf_http_response *resp,
                                    const char *block, size_t n, struct sheaf_buf *out,
                                    bool *partial, const char **why);

#endif
