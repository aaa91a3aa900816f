package inspect

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func budgetInput(name string, data []byte) container.Input {
	return container.Input{Name: name, Files: []container.InputFile{{Size: int64(len(data)), ReaderAt: bytes.NewReader(data),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}}}
}

// Records past the memory budget are not kept: a record-budget problem
// names the file and the first record not kept, the records kept are the
// first ones of the file, the same on every run, and a file read after the
// budget is reached gets its own problem.
func TestMemoryBudgetCutsRecords(t *testing.T) {
	var sms bytes.Buffer
	sms.WriteString(`<?xml version="1.0" encoding="UTF-8"?><smses count="40000">`)
	for i := 0; i < 40000; i++ {
		fmt.Fprintf(&sms, `<sms protocol="0" address="+1555%07d" date="%d" type="1" read="1" body="message %d" />`+"\n", i, 1700000000000+int64(i)*1000, i)
	}
	sms.WriteString(`</smses>`)
	var vcf bytes.Buffer
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&vcf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nTEL:+1555%07d\r\nEND:VCARD\r\n", i, i)
	}
	inputs := []container.Input{budgetInput("sms-20240101000000.xml", sms.Bytes()), budgetInput("z.vcf", vcf.Bytes())}

	full, _, err := Run(context.Background(), inputs, Options{NoRecover: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Messages) != 40000 || len(full.Contacts) != 100 {
		t.Fatalf("default budget: %d messages, %d contacts; want all", len(full.Messages), len(full.Contacts))
	}
	for _, p := range full.Problems {
		if p.Code == artifacts.CodeRecordBudget {
			t.Fatalf("default budget: %+v", p)
		}
	}

	const budget = 8 << 20
	var first []byte
	for run := 0; run < 2; run++ {
		rep, _, err := Run(context.Background(), inputs, Options{MemoryBudget: budget, NoRecover: true})
		if err != nil {
			t.Fatal(err)
		}
		n := len(rep.Messages)
		if n == 0 || n >= 40000 || len(rep.Contacts) != 0 {
			t.Fatalf("budget %d: %d messages, %d contacts; want some messages and no contacts", budget, n, len(rep.Contacts))
		}
		var probs []report.Problem
		for _, p := range rep.Problems {
			if p.Code == artifacts.CodeRecordBudget {
				probs = append(probs, p)
			}
		}
		if len(probs) != 2 || probs[0].Input != "sms-20240101000000.xml" || probs[1].Input != "z.vcf" {
			t.Fatalf("problems %+v: want a record-budget problem for each input", probs)
		}
		if want := fmt.Sprintf("sms-20240101000000.xml#sms[%d]", n); !strings.Contains(probs[0].Message, want) {
			t.Errorf("problem %q does not name the first message not kept (%s)", probs[0].Message, want)
		}
		kept := map[string]bool{}
		for _, m := range rep.Messages {
			kept[m.Source] = true
		}
		for i := 0; i < n; i++ {
			if src := fmt.Sprintf("sms-20240101000000.xml#sms[%d]", i); !kept[src] {
				t.Fatalf("%s not kept: the kept messages are not the first %d", src, n)
			}
		}
		b, err := report.Encode(rep)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = b
			t.Logf("budget %d MiB: %d of 40000 messages kept, report %d bytes", budget>>20, n, len(b))
		} else if !bytes.Equal(first, b) {
			t.Error("two runs with the same budget differ")
		}
	}
}
