package links

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// tlds are the top-level domains accepted for bare domain names (lower
// case; IDN TLDs in Unicode). Deliberately absent: TLDs that are common
// English words or file extensions (is, no, so, to, do, go, am, as, an,
// or, on, hi, md, py, sh, zip, mov, news, work, life, page…), so "ok.so",
// "notes.md" or "at.work" stay text.
var tlds = set(
	// generic, and the new gTLDs most seen in SMS phishing
	"com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "mobi", "asia", "tel", "travel", "jobs", "aero", "coop", "museum",
	"app", "dev", "xyz", "online", "site", "shop", "store", "club", "top", "vip", "live", "click", "link", "support", "icu", "win",
	"bond", "cfd", "sbs", "buzz", "rest", "tv", "fm", "ai", "io", "co", "me", "ly", "gl", "gd", "cc", "ws", "la", "sc", "gg", "im", "ms",
	"mn", "tk", "xin", "wang", "ren", "tokyo", "moscow",
	// country codes in common use
	"ac", "ae", "af", "al", "ar", "at", "au", "az", "ba", "bd", "be", "bg", "bh", "br", "by", "ca", "ch", "cl", "cn", "cr", "cu", "cy", "cz", "de",
	"dk", "dz", "ec", "ee", "eg", "es", "eu", "fi", "fr", "ge", "gr", "gt", "hk", "hn", "hr", "hu", "id", "ie", "il", "in", "iq", "ir", "it", "jm",
	"jo", "jp", "ke", "kg", "kh", "kr", "kw", "kz", "lb", "li", "lk", "lt", "lu", "lv", "ma", "mk", "mo", "mt", "mu", "mx", "my", "mz", "ng", "ni",
	"nl", "np", "nz", "om", "pa", "pe", "ph", "pk", "pl", "pr", "pt", "qa", "ro", "rs", "ru", "sa", "se", "sg", "si", "sk", "sn", "su", "sv", "sy",
	"th", "tj", "tm", "tn", "tr", "tt", "tw", "tz", "ua", "ug", "uk", "us", "uy", "uz", "ve", "vn", "za", "zm", "zw",
	// internationalised
	"рф", "рус", "укр", "бел", "срб", "қаз", "мон", "москва", "онлайн", "сайт", "орг", "ком",
	"中国", "中國", "香港", "台灣", "台湾", "公司", "网络", "网址", "在线", "商城", "新加坡",
	"한국", "닷컴", "ไทย", "بھارت", "السعودية", "امارات", "مصر", "ایران",
	// reserved test/example names used in samples and documentation
	"测试", "測試", "テスト", "테스트", "испытание", "пример",
)

// shorteners are hosts of URL-shortening services: the text does not
// show where such a link leads.
var shorteners = set(
	"bit.ly", "bitly.com", "j.mp", "goo.gl", "maps.app.goo.gl", "g.co", "t.co", "tinyurl.com", "ow.ly", "is.gd", "v.gd", "buff.ly",
	"rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "bl.ink", "short.io", "shorte.st", "adf.ly", "lnkd.in",
	"amzn.to", "amzn.eu", "a.co", "fb.me", "wp.me", "trib.al", "dlvr.it", "ift.tt", "s.id", "qr.ae", "tr.im", "x.co", "su.pr",
	"t.cn", "url.cn", "dwz.cn", "suo.im", "sina.lt", "clck.ru", "vk.cc", "goo.su", "u.to", "kutt.it", "han.gl", "me2.do",
	"tiny.one", "shorturl.com", "snip.ly", "soo.gd", "mcaf.ee", "db.tt", "aka.ms", "1url.com", "surl.li",
)
