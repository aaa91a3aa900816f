package idvalid

import "strings"

// mccTable maps each assigned mobile country code (ITU-T E.212 list) to an
// ISO 3166 alpha-2 country. "001" (test network) and "999" (private
// networks) are accepted as assigned with no country.
const mccTable = "001- 202gr 204nl 206be 208fr 212mc 213ad 214es 216hu 218ba 219hr 220rs 221xk 222it 225va 226ro 228ch " +
	"230cz 231sk 232at 234gb 235gb 238dk 240se 242no 244fi 246lt 247lv 248ee 250ru 255ua 257by 259md 260pl 262de " +
	"266gi 268pt 270lu 272ie 274is 276al 278mt 280cy 282ge 283am 284bg 286tr 288fo 289ge 290gl 292sm 293si 294mk " +
	"295li 297me 302ca 308pm 310us 311us 312us 313us 314us 315us 316us 330pr 332vi 334mx 338jm 340gp 342bb 344ag " +
	"346ky 348vg 350bm 352gd 354ms 356kn 358lc 360vc 362cw 363aw 364bs 365ai 366dm 368cu 370do 372ht 374tt 376tc " +
	"400az 401kz 402bt 404in 405in 406in 410pk 412af 413lk 414mm 415lb 416jo 417sy 418iq 419kw 420sa 421ye 422om " +
	"424ae 425il 426bh 427qa 428mn 429np 430ae 431ae 432ir 434uz 436tj 437kg 438tm 440jp 441jp 450kr 452vn 454hk " +
	"455mo 456kh 457la 460cn 461cn 466tw 467kp 470bd 472mv 502my 505au 510id 514tl 515ph 520th 525sg 528bn 530nz " +
	"536nr 537pg 539to 540sb 541vu 542fj 543wf 544as 545ki 546nc 547pf 548ck 549ws 550fm 551mh 552pw 553tv 554tk " +
	"555nu 602eg 603dz 604ma 605tn 606ly 607gm 608sn 609mr 610ml 611gn 612ci 613bf 614ne 615tg 616bj 617mu 618lr " +
	"619sl 620gh 621ng 622td 623cf 624cm 625cv 626st 627gq 628ga 629cg 630cd 631ao 632gw 633sc 634sd 635rw 636et " +
	"637so 638dj 639ke 640tz 641ug 642bi 643mz 645zm 646mg 647re 648zw 649na 650mw 651ls 652bw 653sz 654km 655za " +
	"657er 658sh 659ss 702bz 704gt 706sv 708hn 710ni 712cr 714pa 716pe 722ar 724br 730cl 732co 734ve 736bo 738gy " +
	"740ec 742gf 744py 746sr 748uy 750fk 901- 999-"

// threeDigitMNC lists the MCCs whose networks use 3-digit MNCs.
var threeDigitMNC = map[string]bool{
	"302": true, "310": true, "311": true, "312": true, "313": true, "314": true, "315": true, "316": true,
	"334": true, "338": true, "342": true, "344": true, "346": true, "348": true, "352": true, "354": true,
	"356": true, "358": true, "360": true, "365": true, "366": true, "376": true, "405": true, "708": true,
	"722": true, "732": true, "750": true,
}

var mccs = func() map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(mccTable) {
		iso := f[3:]
		if iso == "-" {
			iso = ""
		}
		m[f[:3]] = iso
	}
	return m
}()

// MCCCountry returns the ISO 3166 alpha-2 country (lower case) of a mobile
// country code and whether the code is assigned.
func MCCCountry(mcc string) (string, bool) {
	iso, ok := mccs[mcc]
	return iso, ok
}

// callingCodes maps ISO 3166 alpha-2 countries to their ITU-T E.164
// country calling codes.
const callingCodes = "us1 ca1 pr1 vi1 jm1 bb1 ag1 ky1 vg1 bm1 gd1 ms1 kn1 lc1 vc1 bs1 ai1 dm1 do1 tt1 tc1 gu1 as1 mp1 sx1 " +
	"ru7 kz7 eg20 za27 gr30 nl31 be32 fr33 es34 hu36 it39 va39 ro40 ch41 at43 gb44 dk45 se46 no47 pl48 de49 pe51 mx52 " +
	"cu53 ar54 br55 cl56 co57 ve58 my60 au61 id62 ph63 nz64 sg65 th66 jp81 kr82 vn84 cn86 tr90 in91 pk92 af93 lk94 " +
	"mm95 ir98 ss211 ma212 dz213 tn216 ly218 gm220 sn221 mr222 ml223 gn224 ci225 bf226 ne227 tg228 bj229 mu230 lr231 " +
	"sl232 gh233 ng234 td235 cf236 cm237 cv238 st239 gq240 ga241 cg242 cd243 ao244 gw245 sc248 sd249 rw250 et251 " +
	"so252 dj253 ke254 tz255 ug256 bi257 mz258 zm260 mg261 re262 zw263 na264 mw265 ls266 bw267 sz268 km269 sh290 " +
	"er291 aw297 fo298 gl299 gi350 pt351 lu352 ie353 is354 al355 mt356 cy357 fi358 bg359 lt370 lv371 ee372 md373 " +
	"am374 by375 ad376 mc377 sm378 ua380 rs381 me382 xk383 hr385 si386 ba387 mk389 cz420 sk421 li423 fk500 bz501 " +
	"gt502 sv503 hn504 ni505 cr506 pa507 pm508 ht509 gp590 bo591 gy592 ec593 gf594 py595 mq596 sr597 uy598 cw599 " +
	"tl670 nf672 bn673 nr674 pg675 to676 sb677 vu678 fj679 pw680 wf681 ck682 nu683 ws685 ki686 nc687 tv688 pf689 " +
	"tk690 fm691 mh692 kp850 hk852 mo853 kh855 la856 bd880 tw886 mv960 lb961 jo962 sy963 iq964 kw965 sa966 ye967 " +
	"om968 ps970 ae971 il972 bh973 qa974 bt975 mn976 np977 tj992 tm993 az994 ge995 kg996 uz998"

var (
	isoToCC = map[string]string{}
	ccSet   = map[string]bool{}
)

func init() {
	for _, f := range strings.Fields(callingCodes) {
		iso, cc := f[:2], f[2:]
		if _, ok := isoToCC[iso]; !ok {
			isoToCC[iso] = cc
		}
		ccSet[cc] = true
	}
	// Non-geographic codes (satellite, international networks, freephone).
	for _, cc := range []string{"800", "808", "870", "878", "881", "882", "883", "888", "979"} {
		ccSet[cc] = true
	}
}

// CallingCode returns the country calling code of an ISO 3166 alpha-2
// country (any case), or "".
func CallingCode(iso string) string { return isoToCC[strings.ToLower(iso)] }

// CountryCodeOf returns the country calling code that starts the digits of
// an international number (without '+'), or "".
func CountryCodeOf(digits string) string {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		if ccSet[digits[:n]] {
			return digits[:n]
		}
	}
	return ""
}

// RegionOf returns the main ISO 3166 alpha-2 country (lower case) of a
// country calling code ("1" → "us", "7" → "ru", "44" → "gb"), or "".
func RegionOf(cc string) string {
	if cc == "" {
		return ""
	}
	for _, f := range strings.Fields(callingCodes) {
		if f[2:] == cc {
			return f[:2]
		}
	}
	return ""
}
