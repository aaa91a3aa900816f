//go:build !js

package samples

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Options control one Generate call.
type Options struct {
	Kind     string // mmssms, ab, ab-encrypted, miui, dump, smsbr, vcard, small
	Seed     uint64
	Out      string // output file (folder for miui -variant folder, directory for small)
	Size     int64  // target size in bytes for big samples (0 = small)
	Hostile  bool
	Deleted  bool
	Password string // ab-encrypted, miui encrypted
	Variant  string // kind-specific, see README.md
}

// Kinds lists the kinds Generate accepts.
var Kinds = []string{"mmssms", "ab", "ab-encrypted", "miui", "dump", "smsbr", "vcard", "small", "big"}

// DefaultPassword is used by encrypted kinds when Options.Password is empty.
const DefaultPassword = "sample-password"

// Generate writes one sample and its truth file (<Out>.truth.json) and
// returns the truth.
func Generate(o Options) (*Truth, error) {
	if o.Out == "" {
		return nil, fmt.Errorf("samples: no output path")
	}
	if o.Kind == "small" {
		return nil, GenerateSmall(o.Out)
	}
	if o.Kind == "big" {
		return nil, GenerateBig(o)
	}
	tmp, err := os.MkdirTemp("", "samples-gen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if dir := filepath.Dir(o.Out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	p := NewPhone(o.Seed, scaleFor(o), o.Hostile, o.Deleted)
	var t *Truth
	switch o.Kind {
	case "mmssms":
		t, err = genMmssms(p, o, tmp)
	case "ab", "ab-encrypted":
		t, err = genAB(p, o, tmp)
	case "miui":
		t, err = genMIUI(p, o, tmp)
	case "dump":
		t, err = genDump(p, o, tmp)
	case "smsbr":
		t, err = genSMSBR(p, o)
	case "vcard":
		t, err = genVCard(p, o)
	default:
		return nil, fmt.Errorf("samples: unknown kind %q (want one of %v)", o.Kind, Kinds)
	}
	if err != nil {
		return nil, err
	}
	t.Schema, t.Kind, t.Seed, t.Variant = TruthSchema, o.Kind, o.Seed, o.Variant
	t.Options = TruthOptions{Hostile: o.Hostile, Deleted: o.Deleted, Size: o.Size}
	if t.File == "" {
		t.File = filepath.Base(o.Out)
	}
	return t, WriteTruth(o.Out+".truth.json", t)
}

// scaleFor derives the amount of data from the requested size.
func scaleFor(o Options) Scale {
	if o.Size <= 0 {
		return SmallScale
	}
	sc := SmallScale
	// about 1 KiB of database per message; at most 20 % of the size in
	// messages, the rest is attachments/media.
	msgs := o.Size / 5 / 1024
	if msgs > 100_000 { // keeps the in-memory model bounded (about 60 MB)
		msgs = 100_000
	}
	if msgs > 200 {
		sc.Threads = 40
		sc.MsgsPerThread = int(msgs / 60)
		sc.Calls = int(msgs / 10)
		sc.MessengerMsgs = int(msgs / 4)
		sc.Contacts = 300
	}
	return sc
}

func (p *Phone) deviceTruth(full bool) *TruthDevice {
	d := &TruthDevice{SDK: p.Device.SDK}
	if full {
		d.Codename, d.Model, d.Manufacturer, d.ROM = p.Device.Codename, p.Device.Model, p.Device.Manufacturer, p.Device.ROM
		d.AndroidRelease = p.Device.Release
		d.BackupTime = ts(p.BackupTime)
	}
	return d
}

func live(m *Message) bool { return !m.Removed }

func (p *Phone) removedTruth(msgs func(*Message) bool, calls, contacts bool) *TruthRemoved {
	if !p.Deleted {
		return nil
	}
	r := &TruthRemoved{}
	for _, m := range p.Messages {
		if m.Removed && msgs != nil && msgs(m) {
			r.Messages = append(r.Messages, truthMessage(m))
		}
	}
	if calls {
		for _, c := range p.Calls {
			if c.Removed {
				r.Calls = append(r.Calls, truthCall(c))
			}
		}
	}
	if contacts {
		for _, c := range p.Contacts {
			if c.Removed {
				r.Contacts = append(r.Contacts, truthContact(c))
			}
		}
	}
	return r
}

func genMmssms(p *Phone, o Options, tmp string) (*Truth, error) {
	mo := mmssmsOpts{MIUI: o.Variant != "aosp" && o.Variant != "wal", WAL: o.Variant == "wal",
		PartsDir: "/data/user_de/0/com.android.providers.telephony/app_parts", SDK: p.Device.SDK}
	var inWAL func(*Message) bool
	t := &Truth{}
	if mo.WAL {
		// the newest fifth of the messages is only in the WAL
		cut := p.Messages[len(p.Messages)*4/5].Date
		inWAL = func(m *Message) bool { return !m.Date.Before(cut) }
		t.Companions = []string{filepath.Base(o.Out) + "-wal"}
	}
	if err := writeMmssms(p, tmp, o.Out, mo, inWAL); err != nil {
		return nil, err
	}
	t.Messages = countMessages(p.Messages, live)
	if !mo.MIUI {
		t.Messages.Blocked = 0 // no block_type column
	}
	if inWAL != nil {
		for _, m := range p.Messages {
			if live(m) && inWAL(m) {
				t.Messages.WALOnly++
			}
		}
		t.Notes = append(t.Notes, fmt.Sprintf("%d messages (wal_only) exist only in the -wal file; a reader that ignores the WAL finds %d", t.Messages.WALOnly, t.Messages.Total-t.Messages.WALOnly))
	}
	t.Examples.Messages = exampleMessages(p.Messages, live)
	t.Identifiers = emptyIdentifiers()
	t.Removed = p.removedTruth(func(m *Message) bool { return true }, false, false)
	if mo.MIUI {
		t.Notes = append(t.Notes, "MIUI extension columns present (sms.block_type, mx_status, favorite_date, sim_id, ...); blocked counts rows with block_type != 0")
	}
	t.Notes = append(t.Notes, "MMS part files (app_parts) are not included with a loose database; attachment sizes are those of the missing files")
	return t, nil
}

// hashingWriter counts and hashes what passes through.
type hashingWriter struct {
	w io.Writer
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	n int64
}

func newHashingWriter(w io.Writer) *hashingWriter { return &hashingWriter{w: w, h: sha256.New()} }
func (h *hashingWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}
func (h *hashingWriter) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// abContent writes the app data of an adb backup into tw and fills t.
func (p *Phone) abContent(tw *androidTar, tmp string, o Options, t *Truth, written func() int64) error {
	pkg := "apps/com.android.providers.telephony"
	cert := p.platformCert()
	if err := tw.Bytes(pkg+"/_manifest", 0o600, 1001, time.Time{}, appManifest("com.android.providers.telephony", int64(p.Device.SDK), p.Device.SDK, "", false, cert)); err != nil {
		return err
	}
	for _, f := range p.telephonyFiles(1000) {
		if err := tw.Bytes(pkg+"/d_f/"+f.Name, 0o600, 1001, p.BackupTime, zlibBytes(f.JSON)); err != nil {
			return err
		}
	}
	spkg := "apps/com.android.providers.settings"
	if err := tw.Bytes(spkg+"/k/_manifest", 0o600, 1000, time.Time{}, appManifest("com.android.providers.settings", int64(p.Device.SDK), p.Device.SDK, "", false, cert)); err != nil {
		return err
	}
	if err := tw.Bytes(spkg+"/k/com.android.providers.settings.data", 0o600, 1000, p.BackupTime, p.settingsKV()); err != nil {
		return err
	}
	files, err := p.writeMessengerFiles(filepath.Join(tmp, "messenger"))
	if err != nil {
		return err
	}
	wpkg := "apps/" + p.Messenger.Package
	if err := tw.Bytes(wpkg+"/_manifest", 0o600, 10234, time.Time{}, appManifest(p.Messenger.Package, 232171003, p.Device.SDK, "com.android.vending", false, p.appCert(p.Messenger.Package))); err != nil {
		return err
	}
	mt := p.BackupTime.Add(-2 * time.Hour)
	for _, f := range files {
		fh, err := os.Open(f.Local)
		if err != nil {
			return err
		}
		err = tw.File(wpkg+"/"+f.Rel, 0o660, 10234, mt, f.Size, fh)
		fh.Close()
		if err != nil {
			return err
		}
	}
	// media: a non-ASCII name (pax header) and a long path, then filler
	media := p.messengerMedia()
	for _, m := range media {
		if err := p.writeMedia(tw, wpkg+"/"+m.rel, 10234, m); err != nil {
			return err
		}
	}
	if o.Size > 0 && written != nil {
		fill := p.fillerMedia(o.Size-written()-2048, o.Size, func(i int) string {
			return fmt.Sprintf("f/Media/WhatsApp Video/VID-%s-WA%04d.jpg", p.BackupTime.AddDate(0, 0, -i%300).Format("20060102"), i)
		})
		for _, m := range fill {
			if err := p.writeMedia(tw, wpkg+"/"+m.rel, 10234, m); err != nil {
				return err
			}
		}
		media = append(media, fill...)
	}
	// truth
	t.Device = p.deviceTruth(false)
	t.Messages = countMessages(p.Messages, inTelephonyBackup)
	t.Messages.Blocked = 0 // not in the telephony JSON
	t.Examples.Messages = exampleMessages(p.Messages, inTelephonyBackup)
	ids := emptyIdentifiers()
	var own []string
	for _, m := range p.Messages {
		if inTelephonyBackup(m) {
			own = append(own, p.selfPhone(m.SubID))
		}
	}
	own = append(own, p.SIMs[1].Number) // messenger prefs cc + ph
	ids.OwnNumbers = sortedUnique(own)
	ids.Wifi = p.wifiTruth()
	t.Identifiers = ids
	app := p.messengerTruth(files)
	for _, m := range media {
		app.Files = append(app.Files, m.rel)
	}
	t.ThirdParty = []TruthApp{app}
	t.Secrets = p.wifiSecrets()
	t.Removed = p.removedTruth(func(m *Message) bool {
		return m.Kind == KindSMS || inTelephonyBackup(&Message{Kind: m.Kind, Parts: m.Parts})
	}, false, false)
	t.Notes = append(t.Notes,
		"messages come from apps/com.android.providers.telephony/d_f/*_backup (zlib JSON); only text-only MMS are backed up by Android",
		"own_numbers: self_phone values of the telephony JSON and the messenger's shared_prefs (cc + ph)",
		"wifi: <WifiBackupData> in the wifi_new_config key of the settings key-value data; passwords are listed only in secrets")
	return nil
}

// mediaFile is a generated image inside an app's data.
type mediaFile struct {
	rel  string
	size int64
	seed uint64
	gps  *GPS
}

func (p *Phone) messengerMedia() []mediaFile {
	r := NewRand(p.Seed, "media")
	name1 := "f/Media/WhatsApp Images/IMG-" + p.BackupTime.AddDate(0, -1, 0).Format("20060102") + "-WA0001 照片 📷.jpg"
	if p.Hostile {
		name1 = "f/Media/WhatsApp Images/<img src=x onerror=alert(1)>.jpg"
	}
	long := "f/Media/WhatsApp Documents/Private/.Statuses/" + "very_long_directory_name_to_exceed_the_ustar_name_field_limit/IMG-" + p.BackupTime.AddDate(0, -2, 0).Format("20060102") + "-WA0007.jpg"
	return []mediaFile{
		{rel: name1, seed: r.Uint64(), gps: &GPS{Lat: 39.9042 + float64(r.Intn(1000))/10000, Lon: 116.4074 + float64(r.Intn(1000))/10000}},
		{rel: long, seed: r.Uint64()},
	}
}

// fillerMedia returns big media files totalling about remaining bytes
// (8 MiB each, 64 MiB from 1 GiB targets; the last one takes the rest).
// name formats the relative path of file i.
func (p *Phone) fillerMedia(remaining, target int64, name func(i int) string) []mediaFile {
	chunk := int64(8 << 20)
	if target >= 1<<30 {
		chunk = 64 << 20
	}
	r := NewRand(p.Seed, "filler")
	var out []mediaFile
	for i := 0; remaining > 64<<10; i++ {
		n := min(chunk, remaining)
		out = append(out, mediaFile{rel: name(i), size: n, seed: r.Uint64()})
		remaining -= n + 1024 // header and padding overhead
	}
	return out
}

func (p *Phone) mediaBytes(m mediaFile) []byte {
	j := smallJPEG(m.seed)
	return withEXIF(j, p.Device.Manufacturer, p.Device.Model, p.BackupTime.AddDate(0, -1, 0).Format("2006:01:02 15:04:05"), m.gps)
}

func (p *Phone) writeMedia(tw *androidTar, full string, uid int, m mediaFile) error {
	small := p.mediaBytes(m)
	size := m.size
	if size < int64(len(small)) {
		size = int64(len(small))
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		err := writeBigJPEG(bw, small, size, newByteStream(m.seed, full))
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	err := tw.File(full, 0o660, uid, p.BackupTime.AddDate(0, -1, 0), size, pr)
	pr.Close()
	return err
}

func genAB(p *Phone, o Options, tmp string) (*Truth, error) {
	ao := ABOptions{Version: 5, Compress: o.Variant != "uncompressed", Fast: o.Size > 0}
	if o.Kind == "ab-encrypted" {
		ao.Password = o.Password
		if ao.Password == "" {
			ao.Password = DefaultPassword
		}
		if o.Variant == "v1" {
			ao.Version, ao.EightBit = 1, true
		}
	}
	f, err := os.Create(o.Out)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fc := &countWriter{w: f}
	bw := bufio.NewWriterSize(fc, 1<<20)
	aw, err := newABWriter(bw, ao, NewRand(p.Seed, "ab-crypto"))
	if err != nil {
		return nil, err
	}
	th := newHashingWriter(aw)
	tw := newAndroidTar(th, "")
	t := &Truth{Password: ao.Password}
	written := func() int64 { return fc.n + int64(bw.Buffered()) }
	if err := p.abContent(tw, tmp, o, t, written); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	t.Entries = tw.entries
	t.Notes = append(t.Notes, fmt.Sprintf("ANDROID BACKUP version %d, compressed=%v, encrypted=%v; tar stream: %d bytes, SHA-256 %s", ao.Version, ao.Compress, ao.Password != "", th.n, th.sum()))
	t.TarSHA256, t.TarSize = th.sum(), th.n
	return t, f.Close()
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
