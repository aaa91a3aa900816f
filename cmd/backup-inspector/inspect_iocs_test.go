package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

const iocData = "../../parsers/indicators/testdata"

func TestInspectIOCs(t *testing.T) {
	t.Setenv(passwordEnv, "")
	sample := "../../samples/small/telephony.ab"
	var out, errb bytes.Buffer
	code := runMain([]string{"inspect", "--json",
		"--iocs", filepath.Join(iocData, "testspy.stix2"),
		"--iocs", filepath.Join(iocData, "numbers.txt"), sample}, &out, &errb)
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	ind := rep.Indicators
	if ind == nil {
		t.Fatal("no indicators in the report")
	}
	if len(ind.Bundles) != 2 || ind.Bundles[0].Name != "numbers.txt" || ind.Bundles[1].Name != "testspy.stix2" {
		t.Errorf("bundles %+v", ind.Bundles)
	}
	// The sample's three SMS and one WhatsApp message linking to пример.рф
	// match the IDN indicator.
	if len(ind.Matches) != 4 {
		t.Errorf("%d matches: %+v", len(ind.Matches), ind.Matches)
	}
	for _, m := range ind.Matches {
		if m.IndicatorID != "indicator--00000000-0000-4000-8000-000000000102" || m.Record != "message" || !strings.HasPrefix(m.Source, "telephony.ab!") {
			t.Errorf("match %+v", m)
		}
	}
	if len(ind.NotResolved) == 0 || ind.Checked.Apps == 0 || ind.Checked.Files == 0 || len(ind.Unsupported) == 0 {
		t.Errorf("indicators %+v", ind)
	}

	// Text output lists the matches after the summary.
	out.Reset()
	runMain([]string{"inspect", "--iocs", filepath.Join(iocData, "testspy.stix2"), sample}, &out, &errb)
	if !strings.Contains(out.String(), "INDICATORS (offline") || strings.Count(out.String(), "- Indicator match:") != 4 {
		t.Errorf("text output:\n%s", out.String())
	}

	// Without --iocs the report has no indicators key.
	out.Reset()
	runMain([]string{"inspect", "--json", sample}, &out, &errb)
	if bytes.Contains(out.Bytes(), []byte(`"indicators"`)) {
		t.Errorf("indicators key without --iocs")
	}
}

func TestInspectIOCsBadFile(t *testing.T) {
	for _, f := range []string{"../../go.mod", filepath.Join(iocData, "missing.stix2")} {
		var out, errb bytes.Buffer
		code := runMain([]string{"inspect", "--iocs", f, "../../samples/small/telephony.ab"}, &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), "--iocs") || out.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q", f, code, errb.String())
		}
	}
}
