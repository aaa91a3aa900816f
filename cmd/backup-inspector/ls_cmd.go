package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/container"
)

func init() {
	register(command{
		name:  "ls",
		usage: "ls [--json] [--password P] PATH...",
		help:  "list every file inside the inputs, at any depth, with size and SHA-256",
		run:   runLs,
	})
}

// lsOutput is the JSON written by ls --json.
type lsOutput struct {
	Entries  []container.Entry     `json:"entries"`
	Problems []lsProblem           `json:"problems"`
	Inputs   []container.InputInfo `json:"inputs"`
	Limits   guardLimits           `json:"limits"`
}

type lsProblem struct {
	Input   string `json:"input"`
	Path    string `json:"path"`
	Offset  int64  `json:"offset"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}

// guardLimits are the container guards in force (stated in reports).
type guardLimits struct {
	MaxRatio      float64 `json:"max_ratio"`
	RatioMinBytes int64   `json:"ratio_min_bytes"`
	MaxTotalRatio float64 `json:"max_total_ratio"`
	TotalMinBytes int64   `json:"total_min_bytes"`
	MaxDepth      int     `json:"max_depth"`
	MaxEntries    int     `json:"max_entries"`
	SpoolLimit    int64   `json:"spool_limit"`
}

// guardFlags registers the guard flags on fs and returns a function that
// fills container.Options from them. inspect can share it.
func guardFlags(fs *flag.FlagSet) func(o *container.Options) guardLimits {
	ratio := fs.Float64("max-ratio", container.DefaultMaxRatio, "largest accepted expansion ratio of a compressed stream")
	minBytes := fs.Int64("ratio-min-bytes", container.DefaultRatioMinBytes, "output size from which the ratio guard applies")
	totalRatio := fs.Float64("max-total-ratio", container.DefaultMaxTotalRatio, "largest total expansion of one input (all its decompressed streams together)…")
	totalMin := fs.Int64("total-min-bytes", container.DefaultTotalMinBytes, "…once they have produced this many bytes")
	depth := fs.Int("max-depth", container.DefaultMaxDepth, "deepest container nesting opened")
	entries := fs.Int("max-entries", container.DefaultMaxEntries, "most entries listed per archive")
	spool := fs.String("spool-limit", strconv.FormatInt(container.DefaultSpoolLimit, 10), "memory budget in bytes (suffix K, M, G) for spooling databases and zips found inside streams")
	return func(o *container.Options) guardLimits {
		o.MaxRatio, o.RatioMinBytes, o.MaxDepth, o.MaxEntries = *ratio, *minBytes, *depth, *entries
		o.MaxTotalRatio, o.TotalMinBytes = *totalRatio, *totalMin
		if v, err := parseBytes(*spool); err == nil {
			o.SpoolLimit = v
		}
		return guardLimits{o.MaxRatio, o.RatioMinBytes, o.MaxTotalRatio, o.TotalMinBytes, o.MaxDepth, o.MaxEntries, o.SpoolLimit}
	}
}

func parseBytes(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"), strings.HasSuffix(s, "k"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"), strings.HasSuffix(s, "g"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return v * mult, nil
}

func runLs(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write JSON")
	password := fs.String("password", "", "password for encrypted backups (else $"+passwordEnv+", else a prompt on a terminal)")
	limits := guardFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: backup-inspector ls [--json] [--password P] PATH...")
		return exitUsage
	}
	if v := fs.Lookup("spool-limit").Value.String(); v != "" {
		if _, err := parseBytes(v); err != nil {
			fmt.Fprintf(stderr, "ls: --spool-limit: %v\n", err)
			return exitUsage
		}
	}
	inputs, skipped, closeAll, err := inputsFromPaths(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "ls: %v\n", err)
		return exitInputError
	}
	defer closeAll()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := container.Options{Password: newPasswordSource(*password, os.Stdin, stderr).Callback()}
	lim := limits(&opts)
	res, werr := container.Walk(ctx, inputs, opts, nil)

	out := lsOutput{Entries: res.Entries, Problems: []lsProblem{}, Inputs: res.Inputs, Limits: lim}
	if out.Entries == nil {
		out.Entries = []container.Entry{}
	}
	failed := werr != nil
	for _, s := range skipped {
		out.Problems = append(out.Problems, lsProblem{Path: s, Code: container.CodeLink, Message: "skipped: " + s, Warning: true})
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, lsProblem(p))
		if !p.Warning {
			failed = true
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "ls: %v\n", err)
			return exitInputError
		}
	} else {
		for _, e := range out.Entries {
			kind := e.Format
			if e.Container != "" {
				kind = e.Container + "/"
			}
			sha := e.SHA256
			if sha == "" {
				sha = strings.Repeat("-", 64)
			}
			fmt.Fprintf(stdout, "%12d  %s  %-16s %s\n", e.Size, sha, kind, e.Path)
		}
		for _, p := range out.Problems {
			level := "error"
			if p.Warning {
				level = "warning"
			}
			fmt.Fprintf(stderr, "%s: %s: %s (offset %d): %s\n", level, p.Code, p.Path, p.Offset, p.Message)
		}
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ls: %v\n", werr)
	}
	if failed {
		return exitInputError
	}
	return exitOK
}
