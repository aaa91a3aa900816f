//go:build !js

package device_test

import (
	"path/filepath"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/samples"
)

func TestDumpDevice(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dump.zip")
	if _, err := samples.Generate(samples.Options{Kind: "dump", Seed: 1, Out: p}); err != nil {
		t.Fatal(err)
	}
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	d := rep.Device
	if d.Codename != tr.Device.Codename || d.Model != tr.Device.Model || d.ROM != tr.Device.ROM || d.AndroidSDK != tr.Device.SDK ||
		d.Brand != tr.Device.Manufacturer {
		t.Errorf("device %+v, truth %+v", d, tr.Device)
	}
	for _, p := range rep.Problems {
		if p.Code == "device-conflict" {
			t.Errorf("conflict in a consistent dump: %+v", p)
		}
	}
}
