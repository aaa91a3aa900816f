//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// addPageProblems appends the problems the page passes in callbacks.problems
// ([{input, path, code, message}]) to rep: inputs it left out, e.g. one that
// ran an earlier parser instance out of memory (the page restarts the
// worker and reads the other inputs again without it).
func addPageProblems(rep *report.Report, cb js.Value) {
	if !cb.Truthy() {
		return
	}
	ps := cb.Get("problems")
	if ps.Type() != js.TypeObject || ps.Length() == 0 {
		return
	}
	str := func(v js.Value, k string) string {
		if s := v.Get(k); s.Type() == js.TypeString {
			return s.String()
		}
		return ""
	}
	for i := 0; i < ps.Length(); i++ {
		p := ps.Index(i)
		rep.Problems = append(rep.Problems, report.Problem{Input: str(p, "input"), Path: str(p, "path"), Code: str(p, "code"), Message: str(p, "message")})
	}
	report.Finalize(rep)
}
