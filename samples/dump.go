//go:build !js

package samples

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// fileSpec is one file of a dump, produced on demand.
type fileSpec struct {
	path  string
	size  int64
	mtime time.Time
	open  func() (io.ReadCloser, error)
}

func bytesSpec(p string, mt time.Time, b []byte) fileSpec {
	return fileSpec{path: p, size: int64(len(b)), mtime: mt, open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

func localSpec(p string, mt time.Time, local string) (fileSpec, error) {
	st, err := os.Stat(local)
	if err != nil {
		return fileSpec{}, err
	}
	return fileSpec{path: p, size: st.Size(), mtime: mt, open: func() (io.ReadCloser, error) { return os.Open(local) }}, nil
}

// dumpSink receives the files of a dump in order.
type dumpSink interface {
	add(f fileSpec, r io.Reader) error
	close() error
}

type zipSink struct {
	f     *os.File
	bw    *bufio.Writer
	zw    *zip.Writer
	store bool
}

func (s *zipSink) add(f fileSpec, r io.Reader) error {
	h := &zip.FileHeader{Name: f.path, Method: zip.Deflate, Modified: f.mtime}
	if s.store || strings.HasSuffix(f.path, ".jpg") {
		h.Method = zip.Store
	}
	h.SetMode(0o600)
	w, err := s.zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

func (s *zipSink) close() error {
	if err := s.zw.Close(); err != nil {
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	return s.f.Close()
}

type tarSink struct {
	f    *os.File
	bw   *bufio.Writer
	gz   *gzip.Writer
	tw   *tar.Writer
	dirs map[string]bool
}

func (s *tarSink) add(f fileSpec, r io.Reader) error {
	var parents []string
	for d := path.Dir(f.path); d != "." && !s.dirs[d]; d = path.Dir(d) {
		parents = append(parents, d)
	}
	for i := len(parents) - 1; i >= 0; i-- {
		s.dirs[parents[i]] = true
		if err := s.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: parents[i] + "/", Mode: 0o771, ModTime: f.mtime, Uname: "root", Gname: "root", Format: tar.FormatPAX}); err != nil {
			return err
		}
	}
	if err := s.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.path, Size: f.size, Mode: 0o660, ModTime: f.mtime, Uname: "root", Gname: "root", Format: tar.FormatPAX}); err != nil {
		return err
	}
	_, err := io.Copy(s.tw, r)
	return err
}

func (s *tarSink) close() error {
	if err := s.tw.Close(); err != nil {
		return err
	}
	if s.gz != nil {
		if err := s.gz.Close(); err != nil {
			return err
		}
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	return s.f.Close()
}

type dirSink struct{ root string }

func (s *dirSink) add(f fileSpec, r io.Reader) error {
	p := filepath.Join(s.root, filepath.FromSlash(f.path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	out, err := os.Create(p)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if _, err := io.Copy(bw, r); err != nil {
		out.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(p, f.mtime, f.mtime)
}

func (s *dirSink) close() error { return nil }

func newDumpSink(out, variant string, big bool) (dumpSink, error) {
	switch variant {
	case "folder":
		os.RemoveAll(out)
		return &dirSink{root: out}, os.MkdirAll(out, 0o755)
	case "", "zip", "tar", "tgz":
	default:
		return nil, fmt.Errorf("dump: unknown variant %q (want zip, tar, tgz, folder)", variant)
	}
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	switch variant {
	case "tar", "tgz":
		s := &tarSink{f: f, bw: bw, dirs: map[string]bool{}}
		var w io.Writer = bw
		if variant == "tgz" {
			s.gz, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
			w = s.gz
		}
		s.tw = tar.NewWriter(w)
		return s, nil
	}
	return &zipSink{f: f, bw: bw, zw: zip.NewWriter(bw), store: big}, nil
}

func genDump(p *Phone, o Options, tmp string) (*Truth, error) {
	mt := p.BackupTime.Add(-10 * time.Minute)
	var files []fileSpec
	addLocal := func(dst, local string, m time.Time) error {
		f, err := localSpec(dst, m, local)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	}
	tel := "data/user_de/0/com.android.providers.telephony"
	con := "data/data/com.android.providers.contacts/databases"
	// SQLite databases
	mmsPath := filepath.Join(tmp, "mmssms.db")
	cut := p.Messages[len(p.Messages)*9/10].Date
	inWAL := func(m *Message) bool { return !m.Date.Before(cut) }
	if err := writeMmssms(p, tmp, mmsPath, mmssmsOpts{MIUI: true, WAL: true, PartsDir: "/" + tel + "/app_parts", SDK: p.Device.SDK}, inWAL); err != nil {
		return nil, err
	}
	dbs := []struct{ dst, local string }{
		{tel + "/databases/mmssms.db", mmsPath}, {tel + "/databases/mmssms.db-wal", mmsPath + "-wal"},
		{tel + "/databases/telephony.db", filepath.Join(tmp, "telephony.db")},
		{con + "/contacts2.db", filepath.Join(tmp, "contacts2.db")},
		{con + "/profile.db", filepath.Join(tmp, "profile.db")},
		{con + "/calllog.db", filepath.Join(tmp, "calllog.db")},
		{"data/system_ce/0/accounts_ce.db", filepath.Join(tmp, "accounts_ce.db")},
		{"data/system_de/0/accounts_de.db", filepath.Join(tmp, "accounts_de.db")},
	}
	steps := []error{
		p.writeTelephonyDB(dbs[2].local), p.writeContactsDB(dbs[3].local, false), p.writeContactsDB(dbs[4].local, true),
		p.writeCallLogDB(dbs[5].local), p.writeAccountsDBs(dbs[6].local, dbs[7].local),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	for _, d := range dbs {
		if err := addLocal(d.dst, d.local, mt); err != nil {
			return nil, err
		}
	}
	msgFiles, err := p.writeMessengerFiles(filepath.Join(tmp, "messenger"))
	if err != nil {
		return nil, err
	}
	for _, f := range msgFiles {
		dst := "data/data/com.whatsapp/databases/" + path.Base(f.Rel)
		if strings.HasPrefix(f.Rel, "sp/") {
			dst = "data/data/com.whatsapp/shared_prefs/" + path.Base(f.Rel)
		}
		if err := addLocal(dst, f.Local, mt.Add(-time.Hour)); err != nil {
			return nil, err
		}
	}
	// MMS part files
	for _, m := range p.Messages {
		for _, pt := range m.Parts {
			if isAttachment(pt) && !m.Removed {
				files = append(files, bytesSpec(tel+"/app_parts/"+partFile(m, pt), m.Date, pt.Data))
			}
		}
	}
	// system files
	abx := p.Device.SDK >= 31
	files = append(files,
		bytesSpec("getprop.txt", p.BackupTime, []byte(p.getprop())),
		bytesSpec("system/build.prop", p.BackupTime.AddDate(0, -4, 0), []byte(p.buildProp())),
		bytesSpec("data/system/users/0/settings_ssaid.xml", mt, settingsXML(-1, p.ssaidItems(), abx)),
		bytesSpec("data/system/users/0/settings_secure.xml", mt, settingsXML(213, p.secureItems(), abx)),
		bytesSpec("data/misc/apexdata/com.android.wifi/WifiConfigStore.xml", mt, []byte(p.wifiXML(true))),
		bytesSpec("data/misc/bluedroid/bt_config.conf", mt, []byte(p.btConfig())),
	)
	// media: messenger images and camera photos (the bulk of big dumps)
	media := p.messengerMedia()
	media = append(media, mediaFile{rel: "DCIM/Camera/IMG_" + p.BackupTime.AddDate(0, 0, -12).Format("20060102_150405") + ".jpg", seed: NewRand(p.Seed, "cam").Uint64(),
		gps: &GPS{Lat: 55.7558, Lon: 37.6173}})
	if o.Size > 0 {
		var sum int64
		for _, f := range files {
			sum += f.size
		}
		media = append(media, p.fillerMedia(o.Size-sum-64<<10, o.Size, func(i int) string {
			return fmt.Sprintf("DCIM/Camera/VID_%s_%04d.jpg", p.BackupTime.AddDate(0, 0, -i%300).Format("20060102"), i)
		})...)
	}
	for _, m := range media {
		m := m
		dst := "data/media/0/" + m.rel
		if strings.HasPrefix(m.rel, "f/") {
			dst = "data/media/0/Android/media/com.whatsapp/WhatsApp/" + strings.TrimPrefix(m.rel, "f/")
		}
		small := p.mediaBytes(m)
		size := max(m.size, int64(len(small)))
		files = append(files, fileSpec{path: dst, size: size, mtime: p.BackupTime.AddDate(0, -1, 0), open: func() (io.ReadCloser, error) {
			pr, pw := io.Pipe()
			go func() {
				bw := bufio.NewWriterSize(pw, 1<<20)
				err := writeBigJPEG(bw, small, size, newByteStream(m.seed, dst))
				if err == nil {
					err = bw.Flush()
				}
				pw.CloseWithError(err)
			}()
			return pr, nil
		}})
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].path < files[j].path })
	sink, err := newDumpSink(o.Out, o.Variant, o.Size > 0)
	if err != nil {
		return nil, err
	}
	t := &Truth{}
	for _, f := range files {
		rc, err := f.open()
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		cr := &countingReader{r: io.TeeReader(rc, h)}
		err = sink.add(f, cr)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if cr.n != f.size {
			return nil, fmt.Errorf("dump: %s: wrote %d of %d bytes", f.path, cr.n, f.size)
		}
		t.Entries = append(t.Entries, TruthEntry{Path: f.path, Size: f.size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	if err := sink.close(); err != nil {
		return nil, err
	}
	// truth
	t.Device = p.deviceTruth(true)
	t.Device.BackupTime = ""
	t.Messages = countMessages(p.Messages, live)
	for _, m := range p.Messages {
		if live(m) && inWAL(m) {
			t.Messages.WALOnly++
		}
	}
	t.Examples.Messages = exampleMessages(p.Messages, live)
	t.Contacts = countContacts(p.Contacts, false)
	for _, c := range p.LiveContacts() {
		if len(t.Examples.Contacts) < 3 && (len(c.Emails) > 0 || len(t.Examples.Contacts) == 0) {
			t.Examples.Contacts = append(t.Examples.Contacts, truthContact(c))
		}
	}
	t.Calls = countCalls(p.Calls)
	t.Examples.Calls = exampleCalls(p.Calls)
	o2 := truthContact(&Contact{Display: p.Owner.Display, Given: p.Owner.Given, Family: p.Owner.Family,
		Phones: []ContactPhone{{Number: p.SIMs[1].Number}, {Number: p.SIMs[2].Number}}, Emails: []string{p.Owner.Email}})
	t.Owner = &o2
	ids := emptyIdentifiers()
	ids.IMEIs = sortedUnique(p.IMEIs)
	var imsis, iccids, own []string
	for _, s := range p.SIMs {
		imsis = append(imsis, s.IMSI)
		iccids = append(iccids, s.ICCID)
		own = append(own, s.Number)
	}
	ids.IMSIs, ids.ICCIDs, ids.OwnNumbers = sortedUnique(imsis), sortedUnique(iccids), sortedUnique(own)
	aids := []string{p.legacyAndroidID()}
	for _, s := range p.SSAIDs {
		aids = append(aids, s.Value)
	}
	ids.AndroidIDs = sortedUnique(aids)
	ids.Serial = p.Device.Serial
	for _, a := range p.Accounts {
		ids.Accounts = append(ids.Accounts, TruthAccount{Type: a.Type, Name: a.Name})
	}
	ids.Wifi = p.wifiTruth()
	ids.Bluetooth = p.btTruth()
	t.Identifiers = ids
	app := p.messengerTruth(msgFiles)
	app.Files = []string{"data/data/com.whatsapp/databases/msgstore.db", "data/data/com.whatsapp/databases/wa.db", "data/data/com.whatsapp/shared_prefs/com.whatsapp_preferences_light.xml"}
	t.ThirdParty = []TruthApp{app}
	t.Secrets = p.wifiSecrets()
	for _, d := range p.BT {
		t.Secrets = append(t.Secrets, d.LinkKey)
	}
	for _, a := range p.Accounts {
		if a.Password != "" {
			t.Secrets = append(t.Secrets, a.Password)
		}
		if a.AuthToken != "" {
			t.Secrets = append(t.Secrets, a.AuthToken)
		}
	}
	t.Removed = p.removedTruth(func(*Message) bool { return true }, true, true)
	t.Companions = nil
	t.Notes = append(t.Notes,
		fmt.Sprintf("mmssms.db has MIUI columns and an uncheckpointed mmssms.db-wal holding %d messages (wal_only)", t.Messages.WALOnly),
		"imeis and serial: getprop.txt (ro.ril.miui.imei0/1, ro.ril.oem.imei1/2, ro.serialno); imsis/iccids/own_numbers: telephony.db siminfo (3 SIMs, one no longer inserted, sim_id -1); calllog.db subscription_id holds ICCIDs (Android <= 12, or rows of the old SIM pending migration) and phone_account_address own numbers; profile.db is the owner card",
		"android_ids: settings_ssaid.xml (ABX on Android 12+) per-app values plus the legacy android_id of settings_secure.xml; accounts: accounts_ce.db (passwords/auth tokens only in secrets)",
		"wifi: WifiConfigStore.xml; bluetooth: bt_config.conf (link keys only in secrets); contacts: contacts2.db (soft_deleted rows have deleted=1)")
	return t, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
