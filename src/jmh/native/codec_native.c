/*
 * Native decoders on the real compressed pages of the -d 31 kdump files, for bin/bench-kdump.
 *
 * usage: codec_native DIR [RUNS]
 * Reads DIR/{lzo,zlib,zstd}.pages (records "u32 LE length, bytes": one compressed page each, as stored
 * in the kdump file; written by org.kdump4j.bench.KdumpPages) and makes DIR/snappy.pages by
 * compressing the decoded LZO pages with libsnappy (snappy_compress; pages that do not shrink are left
 * out, as makedumpfile would store them raw). Then, per codec, decodes every blob into one 4 KiB buffer
 * RUNS times: lzo1x_decompress_safe (liblzo2), uncompress (zlib), ZSTD_decompressDCtx (libzstd, one
 * reused context; makedumpfile writes single frames), snappy_uncompress (libsnappy). The timed loop
 * folds the first and eighth byte and the length of each page into a checksum, as CodecBenchmark
 * does; a separate pass prints the XOR of all decoded bytes (checked against the Java side).
 * Prints per codec: "codec C blobs N inbytes B xor 0x... runs R ms median M mean A sd S min m".
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#define PAGE 4096

struct blobs { unsigned char *data; size_t *off; size_t n; size_t bytes; };

static double now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int load(const char *path, struct blobs *b) {
	FILE *f = fopen(path, "rb");
	if (!f) { perror(path); return -1; }
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *all = malloc(size);
	if (fread(all, 1, size, f) != (size_t)size) { perror(path); return -1; }
	fclose(f);
	size_t cap = 1024, n = 0, pos = 0, w = 0;
	b->off = malloc(cap * sizeof *b->off);
	b->data = malloc(size);
	while (pos + 4 <= (size_t)size) {
		uint32_t len = all[pos] | all[pos + 1] << 8 | all[pos + 2] << 16 | (uint32_t)all[pos + 3] << 24;
		pos += 4;
		if (n + 2 > cap) { cap *= 2; b->off = realloc(b->off, cap * sizeof *b->off); }
		b->off[n++] = w;
		memcpy(b->data + w, all + pos, len);
		w += len;
		pos += len;
	}
	b->off[n] = w;
	b->n = n;
	b->bytes = w;
	free(all);
	return 0;
}

enum codec { LZO, ZLIB, ZSTD, SNAPPY };
static const char *names[] = { "lzo", "zlib", "zstd", "snappy" };
static ZSTD_DCtx *dctx;

static size_t decode(enum codec c, const unsigned char *in, size_t len, unsigned char *out) {
	switch (c) {
	case LZO: {
		lzo_uint n = PAGE;
		if (lzo1x_decompress_safe(in, len, out, &n, NULL) != LZO_E_OK) return 0;
		return n;
	}
	case ZLIB: {
		uLongf n = PAGE;
		if (uncompress(out, &n, in, len) != Z_OK) return 0;
		return n;
	}
	case ZSTD: {
		size_t n = ZSTD_decompressDCtx(dctx, out, PAGE, in, len);
		return ZSTD_isError(n) ? 0 : n;
	}
	case SNAPPY: {
		size_t n = PAGE;
		if (snappy_uncompress((const char *)in, len, (char *)out, &n) != SNAPPY_OK) return 0;
		return n;
	}
	}
	return 0;
}

static int cmpd(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int bench(enum codec c, struct blobs *b, int runs) {
	static uint64_t out64[PAGE / 8];
	unsigned char *out = (unsigned char *)out64;
	uint64_t x = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (decode(c, b->data + b->off[i], b->off[i + 1] - b->off[i], out) != PAGE) {
			fprintf(stderr, "%s: blob %zu does not decode to %d bytes\n", names[c], i, PAGE);
			return -1;
		}
		for (int k = 0; k < PAGE / 8; k++) x ^= out64[k];
	}
	double *t = malloc(runs * sizeof *t);
	volatile uint64_t sink = 0;
	for (int r = 0; r < runs; r++) {
		uint64_t acc = 0;
		double t0 = now_ms();
		for (size_t i = 0; i < b->n; i++) {
			size_t n = decode(c, b->data + b->off[i], b->off[i + 1] - b->off[i], out);
			acc ^= (out[0] | (uint64_t)out[7] << 56) + n;
		}
		t[r] = now_ms() - t0;
		sink ^= acc;
	}
	/* steady state: drop the first fifth of the runs (cold caches) */
	int skip = runs / 5, m = runs - skip;
	double s = 0, q = 0;
	for (int r = skip; r < runs; r++) { s += t[r]; q += t[r] * t[r]; }
	double mean = s / m, sd = m > 1 ? sqrt((q - m * mean * mean) / (m - 1)) : 0;
	qsort(t + skip, m, sizeof *t, cmpd);
	double med = m % 2 ? t[skip + m / 2] : (t[skip + m / 2 - 1] + t[skip + m / 2]) / 2;
	printf("codec %s blobs %zu inbytes %zu xor 0x%" PRIx64 " runs %d ms median %.4f mean %.4f sd %.4f min %.4f\n",
	       names[c], b->n, b->bytes, x, m, med, mean, sd, t[skip]);
	fflush(stdout);
	free(t);
	return 0;
}

int main(int argc, char **argv) {
	if (argc < 2) { fprintf(stderr, "usage: %s DIR [RUNS]\n", argv[0]); return 2; }
	int runs = argc > 2 ? atoi(argv[2]) : 50;
	if (lzo_init() != LZO_E_OK) { fprintf(stderr, "lzo_init failed\n"); return 1; }
	dctx = ZSTD_createDCtx();
	char path[4096];
	struct blobs b[4];
	for (int c = LZO; c <= ZSTD; c++) {
		snprintf(path, sizeof path, "%s/%s.pages", argv[1], names[c]);
		if (load(path, &b[c])) return 1;
	}
	/* snappy.pages: the decoded LZO pages compressed with libsnappy */
	snprintf(path, sizeof path, "%s/snappy.pages", argv[1]);
	FILE *f = fopen(path, "wb");
	if (!f) { perror(path); return 1; }
	unsigned char page[PAGE];
	size_t max = snappy_max_compressed_length(PAGE), kept = 0, dropped = 0;
	char *comp = malloc(max);
	for (size_t i = 0; i < b[LZO].n; i++) {
		if (decode(LZO, b[LZO].data + b[LZO].off[i], b[LZO].off[i + 1] - b[LZO].off[i], page) != PAGE) {
			fprintf(stderr, "lzo blob %zu does not decode\n", i); return 1;
		}
		size_t n = max;
		if (snappy_compress((const char *)page, PAGE, comp, &n) != SNAPPY_OK) { fprintf(stderr, "snappy_compress\n"); return 1; }
		if (n >= PAGE) { dropped++; continue; }
		unsigned char len[4] = { n, n >> 8, n >> 16, n >> 24 };
		fwrite(len, 1, 4, f);
		fwrite(comp, 1, n, f);
		kept++;
	}
	fclose(f);
	fprintf(stderr, "codec_native: wrote %s: %zu pages (%zu did not shrink, left out)\n", path, kept, dropped);
	if (load(path, &b[SNAPPY])) return 1;
	for (int c = LZO; c <= SNAPPY; c++)
		if (bench(c, &b[c], runs)) return 1;
	ZSTD_freeDCtx(dctx);
	return 0;
}
