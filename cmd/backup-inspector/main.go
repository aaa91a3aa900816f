// Command backup-inspector reads phone backups (Xiaomi MIUI/HyperOS .bak sets,
// Android adb .ab files, zip/tar/folder dumps, SQLite databases, SMS Backup &
// Restore XML and vCard) and reports what they hold. It runs the same parsers
// as the offline page.
//
// Every subcommand exits 0 when every input was read, 1 when any input failed
// (the rest is still reported) and 2 on usage errors.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit codes shared by every subcommand.
const (
	exitOK         = 0
	exitInputError = 1
	exitUsage      = 2
)

// A command is one subcommand. run receives the arguments after the
// subcommand name and returns the process exit code.
type command struct {
	name  string
	usage string // one line: "inspect [--json] PATH..."
	help  string // a sentence
	run   func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; each subcommand lives in its own file and
// registers itself from init.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("duplicate command " + c.name)
	}
	commands[c.name] = c
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: backup-inspector COMMAND [ARGS]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-40s %s\n", c.usage, c.help)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 all inputs read, 1 some input failed, 2 usage error.")
}

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

func runMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "backup-inspector: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}
