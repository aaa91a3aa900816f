package report

import (
	"sort"
	"strings"
)

// Identifier labels set by the identifier modules that the summary reads.
const (
	labelBTAdapter  = "bluetooth adapter"
	labelBTName     = "bluetooth name"
	labelDeviceName = "device name"
	labelHotspot    = "hotspot"
)

// valueSet collects distinct identifier values of one kind.
type valueSet map[string]*ExposedValue

func (m valueSet) add(v string, valid bool, label, src string) {
	ev := m[v]
	if ev == nil {
		ev = &ExposedValue{Value: v}
		m[v] = ev
	}
	ev.Valid = ev.Valid || valid
	if label != "" {
		ev.Labels = appendUnique(ev.Labels, label)
	}
	ev.Sources = appendUnique(ev.Sources, src)
}

func (m valueSet) collect() ExposedValues {
	out := ExposedValues{Values: []ExposedValue{}}
	for _, v := range m {
		sort.Strings(v.Sources)
		sort.Strings(v.Labels)
		out.Values = append(out.Values, *v)
		if v.Valid {
			out.Confirmed++
		}
	}
	sort.Slice(out.Values, func(i, j int) bool { return out.Values[i].Value < out.Values[j].Value })
	out.Count = len(out.Values)
	return out
}

// ComputeExposure derives the exposure summary from r's records
// (artifacts.md §10). It depends only on the records, never on their order.
func ComputeExposure(r *Report) Exposure {
	var e Exposure
	sets := map[string]valueSet{}
	get := func(kind string) valueSet {
		if sets[kind] == nil {
			sets[kind] = valueSet{}
		}
		return sets[kind]
	}
	files := map[string]map[string]bool{} // kind → files
	for _, id := range r.Identifiers {
		switch id.Kind {
		case IDPhoneNumber, IDIMSI, IDICCID, IDIMEI, IDEID:
			get(id.Kind).add(id.Value, id.Valid, id.Label, id.Source)
			if files[id.Kind] == nil {
				files[id.Kind] = map[string]bool{}
			}
			files[id.Kind][sourceFile(id.Source)] = true
		}
	}
	e.OwnNumbers = get(IDPhoneNumber).collect()
	e.IMSIs = get(IDIMSI).collect()
	e.ICCIDs = get(IDICCID).collect()
	e.IMEIs = get(IDIMEI).collect()
	e.EIDs = get(IDEID).collect()
	e.NumberWithIMSI = e.OwnNumbers.Count > 0 && e.IMSIs.Count > 0
	e.NumberWithIMSIAndIMEI = e.NumberWithIMSI && e.IMEIs.Count > 0
	keys := func(m map[string]bool) []string {
		out := []string{}
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	e.Together.NumberSources = keys(files[IDPhoneNumber])
	e.Together.IMSISources = keys(files[IDIMSI])
	e.Together.IMEISources = keys(files[IDIMEI])
	e.Together.SameFile = []string{}
	for f := range files[IDPhoneNumber] {
		if files[IDIMSI][f] {
			e.Together.SameFile = append(e.Together.SameFile, f)
		}
	}
	sort.Strings(e.Together.SameFile)
	e.SIMs = computeSIMs(r)

	computeContacts(r, &e)
	computeMessages(r, &e)

	// Calls.
	e.Calls.ByDirection = map[string]int{}
	nums := map[string]bool{}
	countries := map[string]bool{}
	for _, c := range r.Calls {
		if c.Deleted {
			e.Deleted.Calls++
			continue
		}
		e.Calls.Total++
		e.Calls.ByDirection[c.Direction]++
		e.Calls.TalkSeconds += c.DurationSeconds
		if c.Number != "" {
			nums[c.Number] = true
		}
		if c.CountryISO != "" {
			countries[strings.ToLower(c.CountryISO)] = true
		}
		e.Calls.First, e.Calls.Last = widen(e.Calls.First, e.Calls.Last, c.Time)
	}
	e.Calls.DistinctNumbers = len(nums)
	if len(countries) > 0 {
		e.Calls.Countries = keys(countries)
	}

	computeIdentity(r, &e)
	e.Deleted.Messages += len(r.Deleted.Messages)
	e.Deleted.Contacts += len(r.Deleted.Contacts)
	e.Deleted.Calls += len(r.Deleted.Calls)
	e.Deleted.Records = len(r.Recovered)
	e.Coverage = computeCoverage(r)
	e.Limits = computeLimits(r, &e)
	return e
}

// recordKey is the source of an identifier without the column suffix
// ("…telephony.db#siminfo:2/imsi" → "…telephony.db#siminfo:2").
func recordKey(src string) string {
	if i := strings.LastIndexByte(src, '#'); i >= 0 {
		if j := strings.IndexByte(src[i:], '/'); j >= 0 {
			return src[:i+j]
		}
	}
	return src
}

func computeSIMs(r *Report) []SIMExposure {
	byRec := map[string]*SIMExposure{}
	for _, id := range r.Identifiers {
		if id.Kind != IDICCID && id.Kind != IDIMSI && id.Kind != IDEID && id.Kind != IDPhoneNumber {
			continue
		}
		d := id.Details
		// Only records that describe a SIM (siminfo rows, MIUI SIM
		// records) carry these details.
		if d == nil || (d["subId"] == "" && d["from"] != "MIUI sim-cards") {
			continue
		}
		k := recordKey(id.Source)
		s := byRec[k]
		if s == nil {
			s = &SIMExposure{Source: k, Carrier: d["carrier"], Country: d["country"], Slot: d["slot"], Embedded: d["embedded"] == "true"}
			byRec[k] = s
		}
		switch id.Kind {
		case IDICCID:
			if s.ICCID == "" {
				s.ICCID = id.Value
			}
		case IDIMSI:
			s.IMSI = id.Value
		case IDPhoneNumber:
			s.Numbers = appendUnique(s.Numbers, id.Value)
		}
	}
	out := []SIMExposure{}
	for _, s := range byRec {
		sort.Strings(s.Numbers)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

func computeContacts(r *Report, e *Exposure) {
	ce := &e.Contacts
	ce.ByAccount = []AccountCount{}
	ce.ByKind = map[string]int{}
	ce.Sources = []string{}
	byAcc := map[[3]string]int{}
	people := map[string]bool{}
	for _, c := range r.Contacts {
		if c.Owner {
			if !c.Deleted {
				e.Device.OwnerProfile = true
			}
			continue
		}
		if c.Deleted {
			e.Deleted.Contacts++
			continue
		}
		ce.Entries++
		ce.Phones += len(c.Phones)
		ce.Emails += len(c.Emails)
		ce.Addresses += len(c.Addresses)
		ce.Notes += len(c.Notes)
		ce.Organizations += len(c.Organizations)
		ce.Photos += c.Photos
		if c.Birthday != "" {
			ce.Birthdays++
		}
		if c.Starred {
			ce.Starred++
		}
		people[personKey(c)] = true
		accs := c.Accounts
		if len(accs) == 0 {
			accs = []Account{{Type: "unknown", Kind: "other"}}
		}
		xiaomi, google := false, false
		kinds := map[string]bool{}
		for _, a := range accs {
			kind := a.Kind
			if kind == "" {
				kind = AccountKind(a.Type)
			}
			byAcc[[3]string{a.Type, kind, a.Name}]++
			kinds[kind] = true
			xiaomi = xiaomi || kind == "xiaomi"
			google = google || kind == "google"
		}
		for k := range kinds {
			ce.ByKind[k]++
		}
		if xiaomi {
			ce.ToXiaomi++
		}
		if google {
			ce.ToGoogle++
		}
		ce.Sources = appendUnique(ce.Sources, sourceFile(c.Source))
	}
	ce.People = len(people)
	for k, n := range byAcc {
		ce.ByAccount = append(ce.ByAccount, AccountCount{Type: k[0], Kind: k[1], Name: k[2], Count: n})
	}
	sort.Slice(ce.ByAccount, func(i, j int) bool {
		a, b := ce.ByAccount[i], ce.ByAccount[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	sort.Strings(ce.Sources)
}

// personKey identifies a person across address books: the sorted
// numbers (E.164 when known), else the name.
func personKey(c Contact) string {
	var nums []string
	for _, p := range c.Phones {
		n := p.Normalized
		if n == "" {
			n = digitsOnly(p.Number)
		}
		if n != "" {
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return "name\x00" + strings.ToLower(strings.TrimSpace(c.Name))
	}
	sort.Strings(nums)
	return "tel\x00" + strings.Join(nums, "\x00")
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ownNumber reports whether addr is one of the owner's numbers (the same
// last 9 digits).
func ownNumber(addr string, own map[string]bool) bool {
	d := digitsOnly(addr)
	if len(d) < 7 {
		return false
	}
	if len(d) > 9 {
		d = d[len(d)-9:]
	}
	return own[d]
}

func computeMessages(r *Report, e *Exposure) {
	own := map[string]bool{}
	for _, v := range e.OwnNumbers.Values {
		d := digitsOnly(v.Value)
		if len(d) >= 7 {
			if len(d) > 9 {
				d = d[len(d)-9:]
			}
			own[d] = true
		}
	}
	e.ReceivedSMS.Sources = []string{}
	corr := map[string]bool{}
	allCorr := map[string]bool{}
	threads := map[string]bool{}
	for _, m := range r.Messages {
		if m.Deleted {
			e.Deleted.Messages++
			continue
		}
		switch m.Kind {
		case "mms":
			e.Messages.MMS++
		case "chat":
			e.Messages.Chat++
		default:
			e.Messages.SMS++
		}
		switch m.Direction {
		case DirIncoming:
			e.Messages.Received++
		case DirOutgoing:
			e.Messages.Sent++
		case DirDraft:
			e.Messages.Drafts++
		case DirFailed:
			e.Messages.Failed++
		}
		if len(m.Links) > 0 {
			e.Messages.WithLinks++
		}
		e.Messages.Attachments += len(m.Attachments)
		if m.Address != "" && !ownNumber(m.Address, own) {
			allCorr[m.Address] = true
		}
		if m.Thread != "" {
			threads[sourceFile(m.Source)+"\x00"+m.Thread] = true
		}
		e.Messages.First, e.Messages.Last = widen(e.Messages.First, e.Messages.Last, m.Time)
		if m.Kind == "sms" && m.Direction == DirIncoming {
			e.ReceivedSMS.Count++
			if m.Address != "" && !ownNumber(m.Address, own) {
				corr[m.Address] = true
			}
			e.ReceivedSMS.First, e.ReceivedSMS.Last = widen(e.ReceivedSMS.First, e.ReceivedSMS.Last, m.Time)
			e.ReceivedSMS.Sources = appendUnique(e.ReceivedSMS.Sources, sourceFile(m.Source))
		}
	}
	e.ReceivedSMS.Correspondents = len(corr)
	sort.Strings(e.ReceivedSMS.Sources)
	e.Messages.Correspondents = len(allCorr)
	e.Messages.Conversations = len(threads)
}

func computeIdentity(r *Report, e *Exposure) {
	e.Accounts = []ExposedAccount{}
	accIdx := map[[2]string]int{}
	androidIDs := map[string]bool{}
	ssaidApps := map[string]bool{}
	adIDs := map[string]bool{}
	type wifiNet struct {
		secret, open, hidden, hotspot bool
	}
	wifi := map[string]*wifiNet{}
	routers := map[string]bool{}
	type btDev struct {
		key  bool
		name string
	}
	bt := map[string]*btDev{}
	for _, id := range r.Identifiers {
		switch id.Kind {
		case IDAccount:
			k := [2]string{id.Label, id.Value}
			i, ok := accIdx[k]
			if !ok {
				kind := AccountKind(id.Label)
				if id.Label == "email" {
					kind = "other"
				}
				i = len(e.Accounts)
				accIdx[k] = i
				e.Accounts = append(e.Accounts, ExposedAccount{Type: id.Label, Kind: kind, Name: id.Value, Sources: []string{}})
			}
			a := &e.Accounts[i]
			a.Sources = appendUnique(a.Sources, id.Source)
			a.Credentials = a.Credentials || id.Secret
			if s := id.Details["syncs"]; s != "" && a.Syncs == "" {
				a.Syncs = s
			}
		case IDAndroidID:
			if id.Secret || !id.Valid {
				continue
			}
			androidIDs[id.Value] = true
			if p := id.Details["package"]; p != "" {
				ssaidApps[p] = true
			}
		case IDAdvertising:
			adIDs[id.Value] = true
		case IDSerial:
			e.Device.Serials = appendUnique(e.Device.Serials, id.Value)
		case IDMEID:
			e.Device.MEIDs = appendUnique(e.Device.MEIDs, id.Value)
		case IDDevice:
			switch id.Label {
			case labelDeviceName:
				e.Device.DeviceNames = appendUnique(e.Device.DeviceNames, id.Value)
			case labelBTName:
				if e.Bluetooth.AdapterName == "" || id.Value < e.Bluetooth.AdapterName {
					e.Bluetooth.AdapterName = id.Value
				}
			}
		case IDMAC:
			if id.Label == labelBTAdapter && (e.Bluetooth.AdapterAddress == "" || id.Value < e.Bluetooth.AdapterAddress) {
				e.Bluetooth.AdapterAddress = id.Value
			}
		case IDWifi:
			w := wifi[id.Value]
			if w == nil {
				w = &wifiNet{}
				wifi[id.Value] = w
			}
			w.secret = w.secret || id.Secret
			w.open = w.open || id.Label == "open"
			w.hidden = w.hidden || id.Details["hidden"] == "true"
			w.hotspot = w.hotspot || id.Label == labelHotspot
			for _, k := range []string{"bssid", "gatewayMac"} {
				if m := id.Details[k]; m != "" {
					routers[m] = true
				}
			}
		case IDBluetooth:
			d := bt[id.Value]
			if d == nil {
				d = &btDev{}
				bt[id.Value] = d
			}
			d.key = d.key || id.Secret
			if n := id.Details["name"]; n != "" && d.name == "" {
				d.name = n
			}
		}
	}
	for i := range e.Accounts {
		sort.Strings(e.Accounts[i].Sources)
	}
	sort.Slice(e.Accounts, func(i, j int) bool {
		if e.Accounts[i].Type != e.Accounts[j].Type {
			return e.Accounts[i].Type < e.Accounts[j].Type
		}
		return e.Accounts[i].Name < e.Accounts[j].Name
	})
	e.Device.AndroidIDs = len(androidIDs)
	e.Device.AppsWithSSAID = len(ssaidApps)
	e.Device.AdvertisingIDs = len(adIDs)
	sort.Strings(e.Device.Serials)
	sort.Strings(e.Device.MEIDs)
	sort.Strings(e.Device.DeviceNames)
	e.Device.Codename = r.Device.Codename
	e.Device.Model = r.Device.Model
	e.Device.Brand = r.Device.Brand
	e.Device.ROM = r.Device.ROM
	e.Device.AndroidSDK = r.Device.AndroidSDK
	e.Device.BackupTime = r.Device.BackupTime

	e.Wifi.SSIDs = []string{}
	for ssid, w := range wifi {
		if w.hotspot {
			e.Wifi.Hotspots++
			continue
		}
		e.Wifi.Networks++
		e.Wifi.SSIDs = append(e.Wifi.SSIDs, ssid)
		if w.secret {
			e.Wifi.WithPassword++
		}
		if w.open {
			e.Wifi.Open++
		}
		if w.hidden {
			e.Wifi.Hidden++
		}
	}
	sort.Strings(e.Wifi.SSIDs)
	e.Wifi.RouterMACs = len(routers)
	for _, d := range bt {
		e.Bluetooth.Devices++
		if d.key {
			e.Bluetooth.WithKeys++
		}
		if d.name != "" {
			e.Bluetooth.Names = appendUnique(e.Bluetooth.Names, d.name)
		}
	}
	sort.Strings(e.Bluetooth.Names)
}

// coverageCodes maps problem codes that say something about what could
// not be read to a coverage status.
var coverageCodes = map[string]string{
	"password-required": "encrypted", "wrong-password": "encrypted", "encrypted": "encrypted",
	"encrypted-unknown-method": "encrypted", "unknown-format": "unknown-format", "unsupported": "unknown-format",
	"missing": "missing", "missing-file": "missing", "truncated": "partial", "spool-limit": "partial",
	"too-large": "partial", "too-many-entries": "partial", "too-deep": "partial", "bomb-ratio": "partial",
	"corrupt": "failed", "read-error": "failed", "sqlite": "partial", "visit-failed": "failed", "walk": "failed",
}

func coverageStatus(code string) string {
	if s, ok := coverageCodes[code]; ok {
		return s
	}
	return "failed"
}

func computeCoverage(r *Report) []CoverageItem {
	out := []CoverageItem{}
	failed := map[string]Problem{}
	for _, p := range r.Problems {
		if _, ok := coverageCodes[p.Code]; !ok {
			continue
		}
		if p.Path == "" || p.Path == p.Input {
			if _, ok := failed[p.Input]; !ok {
				failed[p.Input] = p
			}
		}
	}
	for _, in := range r.Inputs {
		it := CoverageItem{Path: in.Name, Status: "parsed"}
		if p, ok := failed[in.Name]; ok {
			it.Status = coverageStatus(p.Code)
			it.Note = p.Message
		}
		out = append(out, it)
	}
	seen := map[[2]string]bool{}
	for _, p := range r.Problems {
		if _, ok := coverageCodes[p.Code]; !ok || p.Path == "" || p.Path == p.Input {
			continue
		}
		st := coverageStatus(p.Code)
		if seen[[2]string{p.Path, st}] {
			continue
		}
		seen[[2]string{p.Path, st}] = true
		out = append(out, CoverageItem{Path: p.Path, Status: st, Note: p.Message})
	}
	// Payloads (raw views of files no module could map) are "not decoded"
	// unless a module read records from the same file.
	read := map[string]bool{}
	for _, cs := range [][]Contact{r.Contacts, r.Deleted.Contacts} {
		for _, c := range cs {
			read[sourceFile(c.Source)] = true
		}
	}
	for _, cs := range [][]Call{r.Calls, r.Deleted.Calls} {
		for _, c := range cs {
			read[sourceFile(c.Source)] = true
		}
	}
	for _, ms := range [][]Message{r.Messages, r.Deleted.Messages} {
		for _, m := range ms {
			read[sourceFile(m.Source)] = true
		}
	}
	for _, id := range r.Identifiers {
		read[sourceFile(id.Source)] = true
	}
	for _, pl := range r.Payloads {
		if read[pl.Path] {
			continue
		}
		note := "kept as a " + pl.Format + " tree: its layout is not known"
		if pl.Note != "" {
			note = pl.Note
		}
		out = append(out, CoverageItem{Path: pl.Path, Status: "not-decoded", Note: note})
	}
	sort.SliceStable(out[len(r.Inputs):], func(i, j int) bool {
		a, b := out[len(r.Inputs)+i], out[len(r.Inputs)+j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Status < b.Status
	})
	return out
}

func computeLimits(r *Report, e *Exposure) []string {
	limits := []string{
		"Absence of data in the backup does not mean absence on the phone or in the cloud: backups leave out apps, settings and whole data kinds.",
	}
	var ab, miuiBak bool
	for _, in := range r.Inputs {
		ab = ab || in.Format == "android-backup"
		miuiBak = miuiBak || in.Format == "miui-bak"
	}
	for _, f := range r.Files {
		ab = ab || f.Container == "android-backup"
		miuiBak = miuiBak || f.Container == "miui-bak"
	}
	if ab {
		limits = append(limits, "Android backups (adb backup) never include the contacts provider, include the call log only when made with -keyvalue, and leave out most apps on Android 12 and later.")
	}
	if miuiBak {
		limits = append(limits, "MIUI .bak files carry no IMEI, IMSI or ICCID, and the layout of their SMS/MMS payloads is not public: what could not be mapped is kept as a raw tree.")
	}
	if e.IMEIs.Count == 0 {
		limits = append(limits, "No IMEI was found. Backups rarely hold it (it lives in system properties); the phone still has one and may have sent it.")
	}
	for _, c := range e.Coverage {
		if c.Status == "encrypted" {
			limits = append(limits, "Some inputs are encrypted and were not read: what they hold is not in this summary.")
			break
		}
	}
	return limits
}

// AccountKind classifies an Android account type: google, xiaomi, sim,
// local, app or other.
func AccountKind(typ string) string {
	t := strings.ToLower(strings.TrimSpace(typ))
	switch t {
	case "com.google", "com.google.android.gm.legacyimap", "com.google.android.gm.exchange", "com.google.work":
		return "google"
	case "com.xiaomi", "com.xiaomi.unactivated", "com.xiaomi.account":
		return "xiaomi"
	case "", "local", "profile", "phone", "com.android.localphone", "vnd.sec.contact.phone", "com.local.contacts",
		"com.android.contacts.default", "com.android.contacts", "com.android.contacts.local", "com.oppo.contacts.device",
		"com.huawei.android.contacts.local", "com.oneplus.contacts.local", "asus.local.phone", "com.sonyericsson.localcontacts",
		"com.htc.android.pcsc", "com.motorola.blur.service.bsutils.motorola_phone":
		return "local"
	case "sim", "usim", "com.android.sim", "com.android.contacts.sim", "com.android.contacts.usim", "vnd.sec.contact.sim",
		"vnd.sec.contact.sim2", "com.xiaomi.sim", "com.android.contacts.sim2", "com.android.contacts.usim2", "com.anddroid.contacts.sim":
		return "sim"
	case "unknown", "vcard", "miui-backup", "email":
		return "other"
	}
	switch {
	case strings.HasSuffix(t, ".sim") || strings.HasSuffix(t, ".usim") || strings.HasSuffix(t, ".sim2"):
		return "sim"
	case strings.HasPrefix(t, "com.google."):
		return "google"
	case strings.HasPrefix(t, "com.xiaomi.") || strings.HasPrefix(t, "com.miui."):
		return "xiaomi"
	}
	return "app"
}

func widen(first, last, t *Time) (*Time, *Time) {
	if t == nil {
		return first, last
	}
	if first == nil || t.Before(first.Time) {
		first = t
	}
	if last == nil || t.After(last.Time) {
		last = t
	}
	return first, last
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// sourceFile strips the record part from a source: "#table:rowid",
// "#what[n]" or "@offset", and anything after them ("/column",
// "/phone[0]").
func sourceFile(src string) string {
	for i := len(src) - 1; i >= 0; i-- {
		c := src[i]
		if c == '!' {
			break
		}
		if c != '#' && c != '@' {
			continue
		}
		rest := src[i+1:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			rest = rest[:j]
		}
		if rest == "" {
			continue
		}
		if c == '@' {
			if digitsOnly(rest) == rest {
				return src[:i]
			}
			continue
		}
		if k := strings.LastIndexByte(rest, ':'); k >= 0 && k+1 < len(rest) && digitsOnly(rest[k+1:]) == rest[k+1:] {
			return src[:i]
		}
		if strings.HasSuffix(rest, "]") && strings.Contains(rest, "[") {
			return src[:i]
		}
	}
	return src
}
