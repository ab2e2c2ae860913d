/*
 * Full scan of a kdump-compressed file with libkdumpfile, for bin/bench-kdump.
 *
 * usage: kdumpfile_kdump_scan DUMP [RUNS]
 * Finds the dumpable page frames from the file's 2nd bitmap (disk_dump_header and kdump_sub_header
 * parsed here, little-endian 64-bit layout; kdump-compressed-spec.md) and reads each of them with
 * kdump_read(KDUMP_KPHYSADDR, pfn * block_size), one call per page, XORing its 64-bit words: the
 * same pages and the same consumer as KdumpScanBenchmark (forEachPage).
 * Prints one line per run: "run N ms X.XXX pages P xor 0x...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libkdumpfile/kdumpfile.h>

static double now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

int main(int argc, char **argv) {
	if (argc < 2) { fprintf(stderr, "usage: %s DUMP [RUNS]\n", argv[0]); return 2; }
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) { perror(argv[1]); return 1; }

	unsigned char h[512];
	if (pread(fd, h, sizeof h, 0) != sizeof h || memcmp(h, "KDUMP   ", 8)) {
		fprintf(stderr, "%s: not a kdump-compressed file\n", argv[1]); return 1;
	}
	uint32_t version = le32(h + 8);
	uint32_t block = le32(h + 428), subhdr = le32(h + 432), bmblocks = le32(h + 436);
	uint64_t maxmapnr = le32(h + 440);
	if (version >= 6) {
		unsigned char s[8];
		if (pread(fd, s, 8, (off_t)block + 96) != 8) { perror("pread"); return 1; }
		maxmapnr = le64(s);
	}
	uint64_t half = (uint64_t)bmblocks * block / 2;
	int two = half * 8 >= maxmapnr;
	off_t bm2 = (off_t)(1 + subhdr) * block + (two ? half : 0);
	size_t bmlen = (maxmapnr + 7) / 8;
	unsigned char *bm = malloc(bmlen);
	if (pread(fd, bm, bmlen, bm2) != (ssize_t)bmlen) { perror("pread bitmap"); return 1; }
	uint64_t *pfns = malloc(maxmapnr * sizeof *pfns);
	size_t n = 0;
	for (uint64_t pfn = 0; pfn < maxmapnr; pfn++)
		if (bm[pfn / 8] >> (pfn % 8) & 1) pfns[n++] = pfn;

	kdump_ctx_t *ctx = kdump_new();
	if (!ctx) { fprintf(stderr, "kdump_new failed\n"); return 1; }
	/* as in kdumpfile_scan.c: libkdumpfile 0.5.1 cannot tell 4- from 5-level paging on this 6.1 kernel */
	kdump_set_number_attr(ctx, KDUMP_ATTR_XLAT_DEFAULT ".virt_bits", 48);
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, "kdump_open_fd: %s\n", kdump_get_err(ctx)); return 1;
	}

	uint64_t *buf = malloc(block);
	for (int run = 1; run <= runs; run++) {
		double t0 = now_ms();
		uint64_t x = 0;
		for (size_t i = 0; i < n; i++) {
			size_t len = block;
			kdump_status st = kdump_read(ctx, KDUMP_KPHYSADDR, pfns[i] * block, buf, &len);
			if (st != KDUMP_OK || len != block) {
				fprintf(stderr, "kdump_read pfn 0x%" PRIx64 ": %s\n", pfns[i], kdump_get_err(ctx));
				return 1;
			}
			for (size_t k = 0; k < block / 8; k++) x ^= buf[k];
		}
		printf("run %d ms %.3f pages %zu xor 0x%" PRIx64 "\n", run, now_ms() - t0, n, x);
		fflush(stdout);
	}
	kdump_free(ctx);
	close(fd);
	return 0;
}
