package contacts_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
)

func TestContactLinks(t *testing.T) {
	vcf := []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Example\r\nTEL:+441632960001\r\n" +
		"NOTE:met at https://Example.COM/talk, see also www.пример.рф.\r\nURL:http://ann.example.org:80/\r\nEND:VCARD\r\n")
	in := container.Input{Name: "ann.vcf", Files: []container.InputFile{{Size: int64(len(vcf)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(vcf)), nil }}}}
	rep, _, err := inspect.Run(context.Background(), []container.Input{in}, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Contacts) != 1 {
		t.Fatalf("%d contacts", len(rep.Contacts))
	}
	got := map[string]bool{}
	for _, l := range rep.Contacts[0].Links {
		got[l.URL] = true
	}
	for _, want := range []string{"http://ann.example.org/", "https://example.com/talk", "http://www.xn--e1afmkfd.xn--p1ai"} {
		if !got[want] {
			t.Errorf("link %q missing; have %v", want, got)
		}
	}
}
