//go:build !js

// Command gen writes deterministic synthetic phone backups and their
// ground-truth files. See samples/README.md.
//
//	go run ./samples/cmd/gen -kind K -seed N -out PATH [-size BYTES] [-variant V]
//	    [-password P] [-hostile] [-deleted]
//	go run ./samples/cmd/gen -kind small -out samples/small
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/backupinspector/backupinspector/samples"
)

func main() {
	kind := flag.String("kind", "", "sample kind: "+strings.Join(samples.Kinds, ", "))
	seed := flag.Uint64("seed", 1, "seed (same seed, same bytes)")
	out := flag.String("out", "", "output path (a directory for -kind small)")
	size := flag.String("size", "", "target size for big samples, e.g. 100MiB, 1GiB, 4GiB or bytes")
	variant := flag.String("variant", "", "kind-specific variant (see samples/README.md)")
	password := flag.String("password", samples.DefaultPassword, "password for encrypted kinds")
	hostile := flag.Bool("hostile", false, "put HTML/script/CSV-formula payloads into text fields")
	deleted := flag.Bool("deleted", false, "delete known rows after writing them (recorded in the truth)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gen -kind K [-seed N] -out PATH [-size S] [-variant V] [-password P] [-hostile] [-deleted]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *kind == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	start := time.Now()
	t, err := samples.Generate(samples.Options{Kind: *kind, Seed: *seed, Out: *out, Size: n, Variant: *variant,
		Password: *password, Hostile: *hostile, Deleted: *deleted})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	el := time.Since(start)
	if t != nil {
		if st, err := os.Stat(*out); err == nil && !st.IsDir() {
			fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes) in %v (%.1f MiB/s)\n", *out, st.Size(), el.Round(time.Millisecond), float64(st.Size())/(1<<20)/el.Seconds())
			return
		}
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s in %v\n", *out, el.Round(time.Millisecond))
}

func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if strings.HasSuffix(s, u.suf) {
			s, mult = strings.TrimSuffix(s, u.suf), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("bad -size %q", s)
	}
	return int64(f * float64(mult)), nil
}
