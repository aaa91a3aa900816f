package device_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/device"
	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestMIUIDevice(t *testing.T) {
	tr := idtest.LoadTruth(t, "../../../samples/small/miui")
	rep := idtest.Run(t, "", "../../../samples/small/miui/20240914_161418")
	d := rep.Device
	if d.Codename != tr.Device.Codename || d.ROM != tr.Device.ROM || d.AndroidSDK != tr.Device.SDK || d.BackupTime == nil || d.BackupTime.String() != tr.Device.BackupTime {
		t.Errorf("device %+v, truth %+v", d, tr.Device)
	}
	if !contains(d.Sources, "20240914_161418/descript.xml") {
		t.Errorf("sources %v", d.Sources)
	}
	for _, p := range rep.Problems {
		if p.Code == "device-conflict" {
			t.Errorf("conflict in a consistent set: %+v", p)
		}
	}
}

func TestABDevice(t *testing.T) {
	tr := idtest.LoadTruth(t, "../../../samples/small/telephony.ab")
	rep := idtest.Run(t, "", "../../../samples/small/telephony.ab")
	if rep.Device.AndroidSDK != tr.Device.SDK || rep.Device.Codename != "" {
		t.Errorf("device %+v, truth %+v", rep.Device, tr.Device)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestParseProps(t *testing.T) {
	vals, offs := device.ParseProps([]byte("# comment\n[ro.product.model]: [M2012K11AG]\n[ro.ril.oem.imei]: [490154203237518,356938035643809]\nro.build.version.sdk=33\nbad line\n[key with space]: [x]\n"))
	want := map[string]string{"ro.product.model": "M2012K11AG", "ro.ril.oem.imei": "490154203237518,356938035643809", "ro.build.version.sdk": "33"}
	if !reflect.DeepEqual(vals, want) {
		t.Errorf("vals %v", vals)
	}
	if offs["ro.product.model"] != 10 || offs["ro.build.version.sdk"] != 96 {
		t.Errorf("offsets %v", offs)
	}
}

func TestPropsFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bugreport")
	os.MkdirAll(dir, 0o755)
	// Found by content, whatever the name; a dual-SIM property lists both
	// IMEIs; a bad-Luhn IMEI is kept but not valid; MEID and serial.
	getprop := "[gsm.version.baseband]: [x]\n[persist.radio.imei1]: [490154203237518]\n[ro.ril.oem.imei]: [490154203237518,356938035643809]\n" +
		"[ro.ril.oem.imei2]: [490154203237519]\n[ro.ril.oem.meid]: [A0000000002329]\n[ro.serialno]: [3b6fc2a8]\n" +
		"[ro.product.model]: [Redmi Note 9]\n[ro.product.brand]: [Redmi]\n[ro.product.device]: [merlin]\n[ro.build.version.sdk]: [29]\n" +
		"[ro.build.version.incremental]: [V12.0.1.0.QJOMIXM]\n[ro.build.fingerprint]: [Redmi/merlin/merlin:10/QP1A/V12:user/release-keys]\n"
	os.WriteFile(filepath.Join(dir, "state-dump.txt"), []byte(getprop), 0o644)
	os.WriteFile(filepath.Join(dir, "build.prop"), []byte("ro.product.system.model=Other Model\nro.build.version.sdk=30\nro.system.build.version.release=11\n"), 0o644)
	rep := idtest.Run(t, "", dir)
	d := rep.Device
	if d.Model == "" || d.Codename != "merlin" || d.Brand != "Redmi" || d.ROM != "V12.0.1.0.QJOMIXM" || !strings.HasPrefix(d.Fingerprint, "Redmi/merlin") {
		t.Errorf("device %+v", d)
	}
	// build.prop comes first (sorted file order) and sets the model and SDK;
	// the getprop values that differ are reported as conflicts.
	conflicts := 0
	for _, p := range rep.Problems {
		if p.Code == "device-conflict" {
			conflicts++
		}
	}
	if d.Model != "Other Model" || d.AndroidSDK != 30 || conflicts != 2 {
		t.Errorf("first value kept: model %q sdk %d, %d conflicts", d.Model, d.AndroidSDK, conflicts)
	}
	imeis := map[string]bool{}
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDIMEI {
			imeis[id.Value+" "+map[bool]string{true: "valid", false: "invalid"}[id.Valid]] = true
		}
	}
	want := map[string]bool{"490154203237518 valid": true, "356938035643809 valid": true, "490154203237519 invalid": true}
	if !reflect.DeepEqual(imeis, want) {
		t.Errorf("IMEIs %v", imeis)
	}
	if rep.Exposure.IMEIs.Count != 3 || rep.Exposure.IMEIs.Confirmed != 2 {
		t.Errorf("exposure IMEIs %+v", rep.Exposure.IMEIs)
	}
	if got := idtest.Values(rep, report.IDSerial, true); len(got) != 1 || got[0] != "3b6fc2a8" {
		t.Errorf("serial %v", got)
	}
	if got := idtest.Values(rep, report.IDMEID, true); len(got) != 1 || got[0] != "A0000000002329" {
		t.Errorf("MEID %v", got)
	}
}
