package identifiers

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// btConfig reads /data/misc/bluedroid/bt_config.conf (artifacts.md §4.8):
// the [Adapter] section (own address and name) and one section per paired
// device named by its MAC. Link keys are counted, never copied.
type btConfig struct{}

func (btConfig) Name() string { return "identifiers/bluetooth" }

func (btConfig) Match(f *container.File) bool {
	n := baseName(f)
	return n == "bt_config.conf" || n == "bt_config.bak"
}

func (btConfig) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	sc := bufio.NewScanner(io.LimitReader(r, 16<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var section string
	var sectionOff, off int64
	keys := map[string]string{}
	flush := func() {
		defer func() { keys = map[string]string{} }()
		src := artifacts.SourceOffset(f, sectionOff)
		switch {
		case section == "Adapter":
			if m, err := idvalid.MAC(keys["Address"]); keys["Address"] != "" {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDMAC, Value: m, Valid: err == nil, Label: LabelBTAdapter, Source: src})
			}
			if n := keys["Name"]; n != "" {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDDevice, Value: n, Valid: true, Label: LabelBTName, Source: src})
			}
		case section != "":
			mac, err := idvalid.MAC(section)
			if err != nil && !strings.Contains(section, ":") {
				return // [Info], [Metrics]…
			}
			d := map[string]string{}
			if n := keys["Name"]; n != "" {
				d["name"] = n
			}
			if ts, err := strconv.ParseInt(keys["Timestamp"], 10, 64); err == nil && ts > 0 {
				d["firstSeen"] = time.Unix(ts, 0).UTC().Format(report.TimeLayout)
			}
			for _, k := range []string{"DevClass", "DevType", "Manufacturer"} {
				if keys[k] != "" {
					d[strings.ToLower(k[:1])+k[1:]] = keys[k]
				}
			}
			secret := false
			for k, v := range keys {
				if v != "" && (k == "LinkKey" || strings.HasPrefix(k, "LE_KEY_") || strings.HasPrefix(k, "LE_LOCAL_KEY")) {
					secret = true
				}
			}
			if secret {
				d["pairingKey"] = "stored (not shown)"
			}
			label := d["name"]
			ctx.AddIdentifier(report.Identifier{Kind: report.IDBluetooth, Value: mac, Valid: err == nil, Label: label, Details: d,
				Secret: secret, Source: src})
		}
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		lineOff := off
		off += int64(len(sc.Bytes())) + 1
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			flush()
			section = line[1 : len(line)-1]
			sectionOff = lineOff
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	flush()
	return sc.Err()
}
