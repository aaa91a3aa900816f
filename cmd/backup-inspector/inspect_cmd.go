package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() {
	register(command{
		name:  "inspect",
		usage: "inspect [--json] [--password P] PATH...",
		help:  "read backups, databases, XML and vCards and report what they hold",
		run:   runInspect,
	})
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	password := fs.String("password", "", "password of encrypted backups (or set BACKUP_INSPECTOR_PASSWORD)")
	maxMem := fs.Int64("max-memory", inspect.DefaultMemoryBudget>>20, "memory budget in MiB for databases found inside archives")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: backup-inspector inspect [--json] [--password P] PATH...")
		return exitUsage
	}
	inputs, skipped, closeAll, err := inputsFromPaths(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector:", err)
		return exitUsage
	}
	defer closeAll()
	opts := inspect.Options{
		Password:     newPasswordSource(*password, os.Stdin, stderr).Callback(),
		MemoryBudget: *maxMem << 20,
	}
	rep, _, err := inspect.Run(context.Background(), inputs, opts)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector:", err)
		return exitInputError
	}
	if len(skipped) > 0 {
		for _, p := range skipped {
			rep.Problems = append(rep.Problems, report.Problem{Input: artifacts.InputName(p), Path: p, Code: "skipped", Message: "not a regular file (link or special file); not read"})
		}
		report.Finalize(rep)
	}
	if *asJSON {
		b, err := report.Encode(rep)
		if err != nil {
			fmt.Fprintln(stderr, "backup-inspector:", err)
			return exitInputError
		}
		stdout.Write(b)
	} else {
		writeSummary(stdout, rep)
	}
	if inputFailed(rep) {
		return exitInputError
	}
	return exitOK
}

// inputFailed reports whether any input could not be read in full.
func inputFailed(rep *report.Report) bool {
	return len(rep.Problems) > 0
}
