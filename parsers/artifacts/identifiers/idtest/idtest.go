// Package idtest runs whole inspections over sample files for the tests of
// the contacts, identifiers and device modules, and reads the samples'
// truth files. It is test support: nothing in the product imports it.
package idtest

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// Input builds a container input from a file or folder on disk.
func Input(t testing.TB, p string) container.Input {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	opener := func(full string) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return os.Open(full) }
	}
	if !st.IsDir() {
		return container.Input{Name: filepath.Base(p), Files: []container.InputFile{{Size: st.Size(), Open: opener(p)}}}
	}
	in := container.Input{Name: filepath.Base(p), IsDir: true}
	var files []string
	filepath.Walk(p, func(q string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			files = append(files, q)
		}
		return nil
	})
	sort.Strings(files)
	for _, q := range files {
		fi, _ := os.Stat(q)
		rel, _ := filepath.Rel(p, q)
		in.Files = append(in.Files, container.InputFile{Path: filepath.ToSlash(rel), Size: fi.Size(), Open: opener(q)})
	}
	return in
}

// Run inspects the given paths and returns the finished report.
func Run(t testing.TB, password string, paths ...string) *report.Report {
	t.Helper()
	var ins []container.Input
	for _, p := range paths {
		ins = append(ins, Input(t, p))
	}
	opts := inspect.Options{}
	if password != "" {
		opts.Password = func(container.PasswordRequest) (string, bool) { return password, true }
	}
	rep, _, err := inspect.Run(context.Background(), ins, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Truth is the part of a sample truth file (samples/README.md) these tests
// check.
type Truth struct {
	Kind   string `json:"kind"`
	Device *struct {
		Codename, Model, Manufacturer, ROM string
		AndroidRelease                     string `json:"android_release"`
		SDK                                int    `json:"sdk"`
		BackupTime                         string `json:"backup_time"`
	} `json:"device"`
	Contacts *struct {
		Total         int            `json:"total"`
		ByAccountType map[string]int `json:"by_account_type"`
		SoftDeleted   int            `json:"soft_deleted"`
		Phones        int            `json:"phones"`
		Emails        int            `json:"emails"`
	} `json:"contacts"`
	Owner *struct {
		DisplayName string   `json:"display_name"`
		Phones      []string `json:"phones"`
		Emails      []string `json:"emails"`
	} `json:"owner"`
	Identifiers *struct {
		IMEIs      []string `json:"imeis"`
		IMSIs      []string `json:"imsis"`
		ICCIDs     []string `json:"iccids"`
		OwnNumbers []string `json:"own_numbers"`
		AndroidIDs []string `json:"android_ids"`
		Serial     string   `json:"serial"`
		Accounts   []struct {
			Type string `json:"type"`
			Name string `json:"name"`
		} `json:"accounts"`
		Wifi *struct {
			Networks []struct {
				SSID        string `json:"ssid"`
				HasPassword bool   `json:"has_password"`
				Hidden      bool   `json:"hidden"`
			} `json:"networks"`
			WithPassword    int `json:"with_password"`
			WithoutPassword int `json:"without_password"`
		} `json:"wifi"`
		Bluetooth *struct {
			AdapterAddress string `json:"adapter_address"`
			AdapterName    string `json:"adapter_name"`
			Devices        []struct {
				Address string `json:"address"`
				Name    string `json:"name"`
			} `json:"devices"`
		} `json:"bluetooth"`
	} `json:"identifiers"`
	Examples struct {
		Contacts []struct {
			DisplayName string   `json:"display_name"`
			Phones      []string `json:"phones"`
			Emails      []string `json:"emails"`
			AccountType string   `json:"account_type"`
			AccountName string   `json:"account_name"`
		} `json:"contacts"`
	} `json:"examples"`
	Calls *struct {
		Total int `json:"total"`
	} `json:"calls"`
	Secrets []string `json:"secrets"`
}

// LoadTruth reads <file>.truth.json.
func LoadTruth(t testing.TB, file string) *Truth {
	t.Helper()
	b, err := os.ReadFile(file + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr Truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return &tr
}

// Values returns the sorted distinct values of identifiers of kind.
func Values(r *report.Report, kind string, validOnly bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range r.Identifiers {
		if id.Kind == kind && (id.Valid || !validOnly) && !seen[id.Value] {
			seen[id.Value] = true
			out = append(out, id.Value)
		}
	}
	sort.Strings(out)
	return out
}

// Sorted returns a sorted copy of s (nil for empty).
func Sorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
