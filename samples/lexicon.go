//go:build !js

package samples

// This file holds the word lists the synthetic phone is made of. All names
// are common given/family names, combined at random; any resemblance to a
// real person is accidental.

type nameParts struct {
	Given, Family []string
	// familyFirst: display name is "Family Given" (Chinese) or "FamilyGiven".
	familyFirst bool
	noSpace     bool
}

var namesByLang = map[string]nameParts{
	"en": {Given: []string{"James", "Emily", "Olivia", "Liam", "Noah", "Charlotte", "Amelia", "Jack", "Harper", "Ethan", "Grace", "Oscar"},
		Family: []string{"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Evans", "Walker", "O'Connor", "Clarke", "Hughes", "Patel", "Nguyen"}},
	"zh": {Given: []string{"伟", "娜", "敏", "洋", "静", "磊", "婷", "晓明", "雨欣", "志强", "丽华", "子涵"},
		Family: []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "欧阳"}, familyFirst: true, noSpace: true},
	"ru": {Given: []string{"Иван", "Анна", "Дмитрий", "Ольга", "Сергей", "Мария", "Алексей", "Екатерина", "Михаил", "Наталья"},
		Family: []string{"Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов"}},
	"ar": {Given: []string{"محمد", "فاطمة", "أحمد", "مريم", "علي", "نور", "يوسف", "ليلى", "عمر", "سارة"},
		Family: []string{"العلي", "حسن", "الزهراني", "القحطاني", "منصور", "الشمري", "عبدالله"}},
	"hi": {Given: []string{"राहुल", "प्रिया", "अमित", "अनन्या", "विकास", "पूजा", "अर्जुन", "नेहा", "संजय", "दीपिका"},
		Family: []string{"शर्मा", "पटेल", "कुमार", "सिंह", "गुप्ता", "वर्मा", "मेहता"}},
	"es": {Given: []string{"María", "José", "Lucía", "Alejandro", "Sofía", "Javier", "Carmen", "Pablo", "Martina", "Íñigo"},
		Family: []string{"García", "Martínez", "Fernández", "López", "Sánchez", "Pérez", "Gómez", "Muñoz", "Ibáñez"}},
	"de": {Given: []string{"Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Lena", "Jörg", "Mia"},
		Family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß", "Krüger"}},
}

// Casual message bodies per language. Emoji and a few links are mixed in.
var chatByLang = map[string][]string{
	"en": {
		"Are we still on for dinner tonight?",
		"Running 10 min late 🙏",
		"Happy birthday!! 🎉🎂",
		"Can you send me the address?",
		"ok 👍",
		"Check this out: https://bit.ly/3kTq9Zp",
		"Call me when you're free.",
		"Landed safely ✈️ see you soon",
		"Don't forget the keys 🔑",
		"lol 😂😂",
		"Meeting moved to 3pm, see https://example.com/agenda?week=12.",
		"Family dinner Sunday 👨‍👩‍👧‍👦 bring dessert",
		"Thanks! 👍🏽",
	},
	"zh": {
		"今晚一起吃饭吗？",
		"我到了，在门口等你😊",
		"好的，明天见！",
		"生日快乐🎂🎉",
		"地址发我一下",
		"收到，谢谢👍",
		"周末去爬山吗？⛰️",
		"看看这个：https://例子.测试/活动",
		"晚点给你回电话",
	},
	"ru": {
		"Привет! Как дела?",
		"Буду через 10 минут",
		"Спасибо большое 🙏",
		"Созвонимся вечером?",
		"Смотри: https://пример.рф/новости.",
		"С днём рождения! 🎉",
		"Купи хлеба, пожалуйста 🍞",
		"Ок, договорились 👌",
	},
	"ar": {
		"مرحبا، كيف حالك؟",
		"سأصل بعد عشر دقائق",
		"شكرا جزيلا 🌹",
		"عيد ميلاد سعيد 🎉",
		"رمضان كريم 🌙",
		"أرسل لي الموقع من فضلك",
		"تمام 👍",
	},
	"hi": {
		"नमस्ते! कैसे हो?",
		"मैं दस मिनट में पहुँच रहा हूँ",
		"धन्यवाद 🙏",
		"कल मिलते हैं",
		"जन्मदिन की हार्दिक शुभकामनाएँ 🎂",
		"ठीक है 👍",
		"Diwali ki shubhkamnayein 🪔✨",
	},
	"es": {
		"¿Quedamos mañana a las 8?",
		"¡Feliz cumpleaños! 🎉",
		"Ya llegué 😊",
		"Te mando la ubicación: https://maps.app.goo.gl/Xy7pQ2rT9",
		"Vale, hasta luego 👋",
		"¿Me llamas cuando puedas?",
		"Qué bueno verte ayer ❤️",
	},
	"de": {
		"Bin gleich da!",
		"Danke dir 😊",
		"Treffen wir uns um 19 Uhr?",
		"Alles Gute zum Geburtstag! 🎉",
		"Schau mal: https://www.müller-bäckerei.de/angebote",
	},
}

// serviceSender is a bank, carrier or app that sends one-way messages.
type serviceSender struct {
	Address string
	Lang    string
	Texts   []string // may contain %OTP% and %AMT%
}

var serviceSenders = []serviceSender{
	{"VM-HDFCBK", "en", []string{
		"Dear Customer, Rs.%AMT% debited from A/c XX4821 on %DATE% to VPA shop@upi. Not you? Call 18002586161 - HDFC Bank",
		"%OTP% is your OTP for txn of INR %AMT% at AMAZON. Valid for 10 mins. Do not share it with anyone. -HDFC Bank",
	}},
	{"95555", "zh", []string{
		"【招商银行】您的验证码为%OTP%，5分钟内有效，请勿泄露。",
		"【招商银行】您账户2288于%DATE%消费人民币%AMT%元。",
	}},
	{"900", "ru", []string{
		"Код подтверждения: %OTP%. Никому не сообщайте его. Сбербанк",
		"Покупка %AMT%р Пятёрочка Баланс: 12 840.55р",
	}},
	{"Google", "en", []string{"G-%OTP% is your Google verification code."}},
	{"WhatsApp", "en", []string{"Your WhatsApp code: %OTP%-%OTP2%\nDon't share this code with others\n4sgLq1p5sV6"}},
	{"AMAZON", "en", []string{"Your package will arrive today. Track: https://amzn.eu/d/7Hq2kLp, reply STOP to opt out."}},
	{"+8613800138000", "zh", []string{"【中国移动】尊敬的客户，您本月套餐剩余流量2.35GB。详情：http://10086.cn/t?x=1"}},
	{"Movistar", "es", []string{"Movistar: tu factura de %AMT% EUR ya está disponible en https://mov.es/f4ct (¡gracias!)."}},
	{"STC", "ar", []string{"رمز التحقق الخاص بك هو %OTP%. لا تشاركه مع أحد."}},
	{"BANK", "en", []string{"BANK: Suspicious login blocked. If this wasn't you, visit https://bit.ly/2Sec-Chk now!"}},
}

// Subjects and bodies for MMS.
var mmsTexts = []string{
	"Look at this view! 🏔️",
	"Photos from the party 🎉",
	"这是我们的合影",
	"Фото с отпуска ☀️",
	"صورة من الرحلة",
}

// Organisation names for contacts.
var orgs = []string{"Acme Logistics", "小米科技", "ООО «Ромашка»", "Banco Ejemplo", "Tata Consultancy", "Stadtwerke Nord", "شركة الأمل"}

// Wi-Fi network names. Some are non-ASCII, one is hidden.
var ssids = []string{"HomeNet-5G", "TP-Link_7A3C", "CMCC-Family", "Starbucks WiFi", "Кафе Пушкин", "Xiaomi_2F1B", "MOVISTAR_A7F2", "Office-Guest", "AndroidAP_4242", "واي فاي البيت"}

// Bluetooth device names.
var btNames = []string{"Mi True Wireless EBs Basic 2", "Redmi Buds 4 Pro", "JBL Flip 5", "Car Multimedia", "Xiaomi Smart Band 8", "HUAWEI FreeBuds", "Galaxy Watch4 (ABCD)"}
