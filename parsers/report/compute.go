package report

import (
	"sort"
)

// ComputeExposure derives the exposure summary from r's records.
func ComputeExposure(r *Report) Exposure {
	var e Exposure
	values := map[string]map[string]*ExposedValue{}
	add := func(kind, v string, valid bool, src string) {
		m := values[kind]
		if m == nil {
			m = map[string]*ExposedValue{}
			values[kind] = m
		}
		ev := m[v]
		if ev == nil {
			ev = &ExposedValue{Value: v}
			m[v] = ev
		}
		ev.Valid = ev.Valid || valid
		ev.Sources = appendUnique(ev.Sources, src)
	}
	for _, id := range r.Identifiers {
		switch id.Kind {
		case IDPhoneNumber, IDIMSI, IDICCID, IDIMEI:
			add(id.Kind, id.Value, id.Valid, id.Source)
		}
	}
	collect := func(kind string) ExposedValues {
		out := ExposedValues{Values: []ExposedValue{}}
		for _, v := range values[kind] {
			sort.Strings(v.Sources)
			out.Values = append(out.Values, *v)
		}
		sort.Slice(out.Values, func(i, j int) bool { return out.Values[i].Value < out.Values[j].Value })
		out.Count = len(out.Values)
		return out
	}
	e.OwnNumbers = collect(IDPhoneNumber)
	e.IMSIs = collect(IDIMSI)
	e.ICCIDs = collect(IDICCID)
	e.IMEIs = collect(IDIMEI)
	e.NumberWithIMSI = e.OwnNumbers.Count > 0 && e.IMSIs.Count > 0
	e.NumberWithIMSIAndIMEI = e.NumberWithIMSI && e.IMEIs.Count > 0

	// Contacts by account.
	e.Contacts.ByAccount = []AccountCount{}
	e.Contacts.Sources = []string{}
	byAcc := map[[3]string]int{}
	people := map[string]bool{}
	for _, c := range r.Contacts {
		if c.Deleted {
			e.Deleted.Contacts++
			continue
		}
		e.Contacts.Entries++
		e.Contacts.Phones += len(c.Phones)
		e.Contacts.Emails += len(c.Emails)
		key := c.Name
		for _, p := range c.Phones {
			key += "\x00" + p.Number
		}
		people[key] = true
		accs := c.Accounts
		if len(accs) == 0 {
			accs = []Account{{Type: "unknown", Kind: "other"}}
		}
		xiaomi, google := false, false
		for _, a := range accs {
			byAcc[[3]string{a.Type, a.Kind, a.Name}]++
			xiaomi = xiaomi || a.Kind == "xiaomi"
			google = google || a.Kind == "google"
		}
		if xiaomi {
			e.Contacts.ToXiaomi++
		}
		if google {
			e.Contacts.ToGoogle++
		}
		e.Contacts.Sources = appendUnique(e.Contacts.Sources, sourceFile(c.Source))
	}
	e.Contacts.People = len(people)
	for k, n := range byAcc {
		e.Contacts.ByAccount = append(e.Contacts.ByAccount, AccountCount{Type: k[0], Kind: k[1], Name: k[2], Count: n})
	}
	sort.Slice(e.Contacts.ByAccount, func(i, j int) bool {
		a, b := e.Contacts.ByAccount[i], e.Contacts.ByAccount[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	sort.Strings(e.Contacts.Sources)

	// Messages.
	e.ReceivedSMS.Sources = []string{}
	corr := map[string]bool{}
	allCorr := map[string]bool{}
	threads := map[string]bool{}
	for _, m := range r.Messages {
		if m.Deleted {
			e.Deleted.Messages++
			continue
		}
		if m.Kind == "mms" {
			e.Messages.MMS++
		} else {
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
		if m.Address != "" {
			allCorr[m.Address] = true
		}
		if m.Thread != "" {
			threads[sourceFile(m.Source)+"\x00"+m.Thread] = true
		}
		e.Messages.First, e.Messages.Last = widen(e.Messages.First, e.Messages.Last, m.Time)
		if m.Kind == "sms" && m.Direction == DirIncoming {
			e.ReceivedSMS.Count++
			if m.Address != "" {
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

	// Calls.
	e.Calls.ByDirection = map[string]int{}
	nums := map[string]bool{}
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
		e.Calls.First, e.Calls.Last = widen(e.Calls.First, e.Calls.Last, c.Time)
	}
	e.Calls.DistinctNumbers = len(nums)

	// Accounts, device, Wi-Fi, Bluetooth.
	e.Accounts = []ExposedAccount{}
	accIdx := map[[2]string]int{}
	for _, id := range r.Identifiers {
		switch id.Kind {
		case IDAccount:
			k := [2]string{id.Label, id.Value}
			if i, ok := accIdx[k]; ok {
				e.Accounts[i].Sources = appendUnique(e.Accounts[i].Sources, id.Source)
				continue
			}
			accIdx[k] = len(e.Accounts)
			e.Accounts = append(e.Accounts, ExposedAccount{Type: id.Label, Kind: AccountKind(id.Label), Name: id.Value, Sources: []string{id.Source}})
		case IDAndroidID:
			e.Device.AndroidIDs++
		case IDSerial:
			e.Device.Serials = appendUnique(e.Device.Serials, id.Value)
		case IDWifi:
			e.Wifi.Networks++
			if id.Secret {
				e.Wifi.WithPassword++
			}
		case IDBluetooth:
			e.Bluetooth.Devices++
		}
	}
	sort.Slice(e.Accounts, func(i, j int) bool {
		if e.Accounts[i].Type != e.Accounts[j].Type {
			return e.Accounts[i].Type < e.Accounts[j].Type
		}
		return e.Accounts[i].Name < e.Accounts[j].Name
	})
	sort.Strings(e.Device.Serials)
	e.Device.Codename = r.Device.Codename
	e.Device.Model = r.Device.Model
	e.Device.ROM = r.Device.ROM
	e.Device.BackupTime = r.Device.BackupTime
	for _, c := range r.Contacts {
		if c.Owner {
			e.Device.OwnerProfile = true
		}
	}
	e.Deleted.Records = len(r.Recovered)

	// Coverage: every input, and every problem that stopped a file.
	e.Coverage = []CoverageItem{}
	failed := map[string]Problem{}
	for _, p := range r.Problems {
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
		e.Coverage = append(e.Coverage, it)
	}
	for _, p := range r.Problems {
		if p.Path != "" && p.Path != p.Input {
			e.Coverage = append(e.Coverage, CoverageItem{Path: p.Path, Status: coverageStatus(p.Code), Note: p.Message})
		}
	}
	e.Limits = []string{
		"Absence of data in the backup does not mean absence on the phone or in the cloud: backups leave out apps, settings and whole data kinds.",
	}
	return e
}

func coverageStatus(code string) string {
	switch code {
	case "password-required", "wrong-password", "encrypted", "encrypted-unknown-method":
		return "encrypted"
	case "unknown-format":
		return "unknown-format"
	case "missing":
		return "missing"
	case "truncated":
		return "partial"
	}
	return "failed"
}

// AccountKind classifies an Android account type.
func AccountKind(typ string) string {
	switch {
	case typ == "com.google" || typ == "com.google.android.gm.legacyimap":
		return "google"
	case typ == "com.xiaomi" || typ == "com.xiaomi.unactivated":
		return "xiaomi"
	case typ == "" || typ == "local" || typ == "com.android.localphone" || typ == "vnd.sec.contact.phone" || typ == "com.local.contacts":
		return "local"
	case len(typ) >= 3 && (typ[:3] == "sim" || typ == "com.android.sim" || typ == "vnd.sec.contact.sim" || typ == "com.xiaomi.sim" || typ == "com.android.contacts.sim"):
		return "sim"
	case typ == "unknown":
		return "other"
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

// sourceFile strips the record part ("#table:rowid", "@offset") from a source.
func sourceFile(src string) string {
	for i := len(src) - 1; i >= 0; i-- {
		switch src[i] {
		case '#', '@':
			return src[:i]
		case '!', '/':
			return src
		}
	}
	return src
}
