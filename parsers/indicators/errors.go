package indicators

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidPattern matches a *PatternError for a malformed pattern.
	ErrInvalidPattern = errors.New("indicators: invalid STIX pattern")
	// ErrUnsupportedPattern matches a *PatternError for a valid pattern
	// that asks for something not supported.
	ErrUnsupportedPattern = errors.New("indicators: unsupported STIX pattern")
	// ErrUnknownFormat is returned by Load for a file that is neither a
	// STIX2 bundle nor a list of phone numbers.
	ErrUnknownFormat = errors.New("indicators: neither a STIX2 bundle nor a list of phone numbers")
	// ErrTooLarge is returned by Load for a file over MaxFileSize.
	ErrTooLarge = errors.New("indicators: file too large")
)

// A PatternError says why a STIX pattern, or one comparison in it, cannot
// be used. Offset is the byte offset in Pattern.
type PatternError struct {
	Pattern string
	Offset  int
	Invalid bool // malformed; false: valid but unsupported
	Reason  string
}

func (e *PatternError) Error() string {
	what := "unsupported"
	if e.Invalid {
		what = "invalid"
	}
	return fmt.Sprintf("indicators: %s pattern at offset %d: %s", what, e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidPattern / ErrUnsupportedPattern) work.
func (e *PatternError) Is(target error) bool {
	if e.Invalid {
		return target == ErrInvalidPattern
	}
	return target == ErrUnsupportedPattern
}

// A FormatError is a file that could not be read as indicators: what is
// wrong, and where (byte offset, or line for number lists).
type FormatError struct {
	Name   string // file name given to Load
	Offset int64  // byte offset, -1 when unknown
	Line   int    // 1-based line, 0 when not line-based
	Reason string
	Err    error // ErrUnknownFormat, ErrTooLarge, or nil
}

func (e *FormatError) Error() string {
	loc := ""
	switch {
	case e.Line > 0:
		loc = fmt.Sprintf(" line %d", e.Line)
	case e.Offset >= 0:
		loc = fmt.Sprintf(" at byte %d", e.Offset)
	}
	return fmt.Sprintf("indicators: %s%s: %s", e.Name, loc, e.Reason)
}

func (e *FormatError) Unwrap() error { return e.Err }
