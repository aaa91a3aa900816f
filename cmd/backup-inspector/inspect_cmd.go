package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/indicators"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() {
	register(command{
		name:  "inspect",
		usage: "inspect [--json] [--password P] [--iocs FILE]... PATH...",
		help:  "read backups, databases, XML and vCards and report what they hold",
		run:   runInspect,
	})
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	password := fs.String("password", "", "password of encrypted backups (or set BACKUP_INSPECTOR_PASSWORD)")
	maxMem := fs.Int64("max-memory", inspect.DefaultMemoryBudget>>20, "memory budget in MiB: the records of the report and the databases and zips found inside archives are held in memory within it (past it records are not kept and a record-budget problem says so)")
	guards := guardFlags(fs)
	var iocFiles pathList
	fs.Var(&iocFiles, "iocs", "indicator file to match offline: STIX2 bundle (.stix2/.json) or list of E.164 phone numbers; repeatable")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: backup-inspector inspect [--json] [--password P] [--iocs FILE]... PATH...")
		return exitUsage
	}
	iocs, err := loadIndicators(iocFiles)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector:", err)
		return exitUsage
	}
	// A path that cannot be read is an input that failed: it is reported
	// and the others are still read (exit 1, not a usage error).
	var unreadable []report.Problem
	var paths []string
	for _, p := range fs.Args() {
		st, err := os.Stat(p)
		switch {
		case err != nil:
			unreadable = append(unreadable, report.Problem{Input: filepath.Base(p), Code: "unreadable", Message: "cannot read " + p + ": " + errText(err)})
		case !st.IsDir() && !st.Mode().IsRegular():
			unreadable = append(unreadable, report.Problem{Input: filepath.Base(p), Code: "unreadable", Message: p + " is not a regular file or folder"})
		default:
			paths = append(paths, p)
		}
	}
	for _, u := range unreadable {
		fmt.Fprintln(stderr, "backup-inspector:", u.Message)
	}
	inputs, skipped, closeAll, err := inputsFromPaths(paths)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector:", err)
		return exitInputError
	}
	defer closeAll()
	if limit := *maxMem << 20; os.Getenv("GOMEMLIMIT") == "" && limit > 0 {
		// Keep the Go heap near the budget: the GC works harder before
		// the process grows past it.
		debug.SetMemoryLimit(max(limit*3/2, 768<<20))
	}
	var co container.Options
	g := guards(&co)
	opts := inspect.Options{
		Password:      newPasswordSource(*password, os.Stdin, stderr).Callback(),
		MemoryBudget:  *maxMem << 20,
		MaxRatio:      g.MaxRatio,
		RatioMinBytes: g.RatioMinBytes,
		MaxTotalRatio: g.MaxTotalRatio,
		TotalMinBytes: g.TotalMinBytes,
		MaxDepth:      g.MaxDepth,
		MaxEntries:    g.MaxEntries,
	}
	if isFlagSet(fs, "spool-limit") {
		opts.SpoolLimit = g.SpoolLimit
	}
	spool := &tempSpool{}
	defer spool.remove()
	opts.Spool = spool.create
	rep, _, err := inspect.Run(context.Background(), inputs, opts)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector:", err)
		return exitInputError
	}
	if len(skipped) > 0 || len(unreadable) > 0 {
		rep.Problems = append(rep.Problems, unreadable...)
		for _, p := range skipped {
			rep.Problems = append(rep.Problems, report.Problem{Input: artifacts.InputName(p), Path: p, Code: "skipped", Message: "not a regular file (link or special file); not read"})
		}
		report.Finalize(rep)
	}
	if iocs != nil {
		rep.Indicators = iocs.Match(rep)
	}
	if *asJSON {
		// Streamed: the encoded report is never held whole in memory.
		if err := report.Write(stdout, rep); err != nil {
			fmt.Fprintln(stderr, "backup-inspector:", err)
			return exitInputError
		}
	} else {
		writeSummary(stdout, rep)
		writeIndicators(stdout, rep.Indicators)
	}
	if inputFailed(rep) {
		return exitInputError
	}
	return exitOK
}

// inputFailed reports whether any input could not be read in full: any
// problem that is more than a warning.
func inputFailed(rep *report.Report) bool {
	for _, p := range rep.Problems {
		if !p.Warning {
			return true
		}
	}
	return false
}

// errText is err's message without the path *os.PathError repeats.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// pathList is a repeatable path flag.
type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, ",") }
func (p *pathList) Set(v string) error { *p = append(*p, v); return nil }

// loadIndicators reads the --iocs files; nil when there are none.
func loadIndicators(paths []string) (*indicators.Set, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var sets []*indicators.Set
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("--iocs: %w", err)
		}
		s, err := indicators.Load(filepath.Base(p), f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("--iocs %s: %w", p, err)
		}
		sets = append(sets, s)
	}
	return indicators.Merge(sets...), nil
}

// writeIndicators prints the indicator matches, if indicators were given.
func writeIndicators(w io.Writer, ind *report.Indicators) {
	if ind == nil {
		return
	}
	c := ind.Checked
	fmt.Fprintln(w)
	fmt.Fprintf(w, "INDICATORS (offline; %d usable from %d file(s); checked %d links, %d e-mail addresses, %d phone numbers, %d apps, %d files)\n",
		c.Indicators, len(ind.Bundles), c.Links, c.Emails, c.PhoneNumbers, c.Apps, c.Files)
	fmt.Fprintf(w, "  %d indicator match(es), %d unsupported or invalid indicator(s), %d shortened link(s) not resolved\n",
		len(ind.Matches), len(ind.Unsupported), len(ind.NotResolved))
	for _, m := range ind.Matches {
		fmt.Fprintf(w, "  - %s\n", m.Explanation)
	}
	for _, u := range ind.Unsupported {
		what := u.ID
		if u.Line > 0 {
			what = fmt.Sprintf("line %d", u.Line)
		}
		fmt.Fprintf(w, "  unsupported: %s %s: %s\n", u.Bundle, what, u.Reason)
	}
	for _, u := range ind.NotResolved {
		fmt.Fprintf(w, "  not resolved: %s (%s)\n", u.URL, u.Source)
	}
	fmt.Fprintf(w, "  %s\n", ind.Note)
}
