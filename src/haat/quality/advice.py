"""What a seller can do about each weak factor of a photo, in the nine languages of Haat.

Each advice is "what is wrong: what to do", about the photograph only (light, focus,
framing), never about the product or its making. The grading stores advice codes; the text
is chosen when it is shown, in the reader's language (English for an unknown one).
"""

from __future__ import annotations

from haat.core.i18n import SUPPORTED_LANGUAGES

ADVICE: dict[str, dict[str, str]] = {
    "too_small": {
        "en": "too small: upload the camera's original photo, at least 1000 pixels on the "
        "long side",
        "hi": "फ़ोटो बहुत छोटी है: कैमरे की असली फ़ोटो अपलोड करें, लंबी तरफ़ कम से कम 1000 पिक्सेल",
        "es": "demasiado pequeña: suba la foto original de la cámara, de al menos 1000 píxeles "
        "en el lado largo",
        "bn": "ছবিটি খুব ছোট: ক্যামেরার আসল ছবিটি আপলোড করুন, লম্বা দিকে অন্তত 1000 পিক্সেল",
        "ks": "تصویر چھےٚ واریاہ لۄکٕٹ: کیمرُک اصل تصویر کٔرِو اپلوڈ، زیٖٹھہِ طرفہٕ کم از کم 1000 پِکسل",
        "ta": "படம் மிகச் சிறியது: கேமராவின் அசல் படத்தைப் பதிவேற்றுங்கள், நீளமான பக்கத்தில் குறைந்தது 1000 பிக்சல்",
        "de": "zu klein: Laden Sie das Originalfoto der Kamera hoch, mindestens 1000 Pixel an "
        "der langen Seite",
        "fr": "trop petite : envoyez la photo d'origine de l'appareil, d'au moins 1000 pixels "
        "sur le grand côté",
        "ja": "写真が小さすぎます：カメラで撮った元の写真を、"
        "長辺1000ピクセル以上でアップロードしてください",
    },
    "blurry": {
        "en": "blurry: hold the phone steady with both hands, tap the product to focus, and "
        "use more light",
        "hi": "धुंधली है: फ़ोन को दोनों हाथों से स्थिर रखें, फ़ोकस के लिए उत्पाद पर टैप करें और ज़्यादा रोशनी करें",
        "es": "borrosa: sujete el teléfono firme con las dos manos, toque el producto para "
        "enfocar y use más luz",
        "bn": "ঝাপসা: দুই হাতে ফোন স্থির রাখুন, ফোকাসের জন্য পণ্যের উপর ট্যাপ করুন, আর আলো বাড়ান",
        "ks": "تصویر چھےٚ دُھنٛدلی: فون رٹِو دۄشوٕنؠ اتھن سٕتؠ مضبوط، فوکس خٲطرٕ کٔرِو چیٖزس پؠٹھ "
        "ٹیپ تہٕ کٔرِو زیادٕ گاش",
        "ta": "மங்கலாக உள்ளது: தொலைபேசியை இரு கைகளாலும் அசையாமல் பிடியுங்கள், குவியத்திற்குப் "
        "பொருளைத் தட்டுங்கள், அதிக ஒளியைப் பயன்படுத்துங்கள்",
        "de": "unscharf: Halten Sie das Telefon mit beiden Händen ruhig, tippen Sie zum "
        "Scharfstellen auf das Produkt und sorgen Sie für mehr Licht",
        "fr": "floue : tenez le téléphone bien stable à deux mains, touchez le produit pour "
        "faire la mise au point et ajoutez de la lumière",
        "ja": "ぼやけています：両手でスマートフォンを固定し、"
        "商品をタップしてピントを合わせ、もっと明るくしてください",
    },
    "too_dark": {
        "en": "too dark: shoot near a window in daylight",
        "hi": "बहुत अँधेरी है: दिन की रोशनी में खिड़की के पास फ़ोटो लें",
        "es": "demasiado oscura: haga la foto cerca de una ventana con luz de día",
        "bn": "খুব অন্ধকার: দিনের আলোয় জানালার কাছে ছবি তুলুন",
        "ks": "واریاہ اَنٛیُر: دۄہٕ کِس گاشس منٛز دارِ نِشہِ تُلِو تصویر",
        "ta": "மிகவும் இருட்டாக உள்ளது: பகல் வெளிச்சத்தில் சன்னல் அருகே படம் எடுங்கள்",
        "de": "zu dunkel: Fotografieren Sie bei Tageslicht in der Nähe eines Fensters",
        "fr": "trop sombre : prenez la photo près d'une fenêtre, à la lumière du jour",
        "ja": "暗すぎます：昼間の窓の近くで撮影してください",
    },
    "too_bright": {
        "en": "too bright: move out of direct sun or turn the exposure down",
        "hi": "बहुत ज़्यादा रोशनी है: सीधी धूप से हटें या एक्सपोज़र कम करें",
        "es": "demasiado clara: apártese del sol directo o baje la exposición",
        "bn": "খুব বেশি উজ্জ্বল: সরাসরি রোদ থেকে সরে যান বা এক্সপোজার কমান",
        "ks": "واریاہ گاش: سیٚدِس تاپس نِشہِ دوٗر گٔژھِو یا کٔرِو ایکسپوژر کم",
        "ta": "மிகவும் வெளிச்சமாக உள்ளது: நேரடி வெயிலில் இருந்து விலகுங்கள் அல்லது வெளிப்பாட்டைக் குறையுங்கள்",
        "de": "zu hell: Gehen Sie aus der direkten Sonne oder verringern Sie die Belichtung",
        "fr": "trop claire : sortez du soleil direct ou baissez l'exposition",
        "ja": "明るすぎます：直射日光を避けるか、露出を下げてください",
    },
    "highlights_clipped": {
        "en": "parts are pure white with no detail: avoid direct sun and flash, use soft light",
        "hi": "कुछ हिस्से बिलकुल सफ़ेद हैं और बारीकी नहीं दिखती: सीधी धूप और फ़्लैश से बचें, हल्की रोशनी लें",
        "es": "hay zonas blancas sin ningún detalle: evite el sol directo y el flash, use una "
        "luz suave",
        "bn": "কিছু অংশ একদম সাদা, কোনো খুঁটিনাটি নেই: সরাসরি রোদ আর ফ্ল্যাশ এড়িয়ে নরম আলো ব্যবহার করুন",
        "ks": "کینٛہہ حصہٕ چھِ بِلکُل سفید تہٕ باریکی چھےٚ نہٕ بوزنہٕ یِوان: سیٚدِس تاپس تہٕ فلیشس "
        "نِشہِ بچِو، نرم گاش ورتٲوِو",
        "ta": "சில பகுதிகள் விவரமின்றி முழு வெள்ளையாக உள்ளன: நேரடி வெயிலையும் ஃபிளாஷையும் "
        "தவிர்த்து, மென்மையான ஒளியைப் பயன்படுத்துங்கள்",
        "de": "Teile sind rein weiß ohne Zeichnung: Meiden Sie direkte Sonne und Blitz, nutzen "
        "Sie weiches Licht",
        "fr": "certaines zones sont blanches sans aucun détail : évitez le soleil direct et le "
        "flash, préférez une lumière douce",
        "ja": "白く飛んで細部が見えない部分があります："
        "直射日光とフラッシュを避け、やわらかい光で撮影してください",
    },
    "shadows_clipped": {
        "en": "parts are pure black with no detail: add light from the front or bounce it "
        "with a white card",
        "hi": "कुछ हिस्से बिलकुल काले हैं और बारीकी नहीं दिखती: सामने से रोशनी डालें या सफ़ेद गत्ते से रोशनी लौटाएँ",
        "es": "hay zonas negras sin ningún detalle: ilumine desde delante o refleje la luz con "
        "una cartulina blanca",
        "bn": "কিছু অংশ একদম কালো, কোনো খুঁটিনাটি নেই: সামনে থেকে আলো দিন বা সাদা কার্ড দিয়ে আলো ফেরান",
        "ks": "کینٛہہ حصہٕ چھِ بِلکُل کٲلؠ تہٕ باریکی چھےٚ نہٕ بوزنہٕ یِوان: برونٛہہ کنہِ دِیو گاش یا "
        "سفید کارڈٕ سٕتؠ پھیٖرِو گاش",
        "ta": "சில பகுதிகள் விவரமின்றி முழு கருப்பாக உள்ளன: முன்பக்கத்திலிருந்து ஒளி கொடுங்கள் "
        "அல்லது வெள்ளை அட்டையால் ஒளியைப் பிரதிபலியுங்கள்",
        "de": "Teile sind rein schwarz ohne Zeichnung: Beleuchten Sie von vorn oder hellen Sie "
        "mit einem weißen Karton auf",
        "fr": "certaines zones sont noires sans aucun détail : éclairez de face ou renvoyez la "
        "lumière avec un carton blanc",
        "ja": "黒くつぶれて細部が見えない部分があります："
        "正面から光を当てるか、白い板で光を反射させてください",
    },
    "low_contrast": {
        "en": "looks flat and hazy: wipe the lens and place the product on a background of a "
        "different tone",
        "hi": "फ़ोटो फीकी और धुँधली लगती है: लेंस पोंछें और उत्पाद को अलग रंगत वाली पृष्ठभूमि पर रखें",
        "es": "se ve plana y velada: limpie la lente y ponga el producto sobre un fondo de otro "
        "tono",
        "bn": "ছবিটি ম্লান ও ঘোলাটে: লেন্স মুছুন এবং পণ্যটি ভিন্ন রঙের পটভূমিতে রাখুন",
        "ks": "تصویر چھےٚ پھیکۍ تہٕ دُھنٛدلی باسان: لینز کٔرِو صاف تہٕ چیٖز تھٲوِو بیٛاکہِ رنگُک پس منظرس پؠٹھ",
        "ta": "படம் மங்கலாகவும் மந்தமாகவும் தெரிகிறது: லென்ஸைத் துடைத்து, பொருளை வேறுபட்ட நிறப் "
        "பின்னணியில் வையுங்கள்",
        "de": "wirkt flau und trüb: Wischen Sie die Linse ab und stellen Sie das Produkt vor "
        "einen Hintergrund in anderem Ton",
        "fr": "l'image paraît terne et voilée : essuyez l'objectif et posez le produit sur un "
        "fond d'un autre ton",
        "ja": "のっぺりとかすんで見えます：レンズを拭き、商品とは違う色調の背景に置いてください",
    },
    "noisy": {
        "en": "grainy: use more light, so the camera does not have to boost its sensitivity",
        "hi": "फ़ोटो में दाने दिखते हैं: ज़्यादा रोशनी करें, ताकि कैमरे को संवेदनशीलता न बढ़ानी पड़े",
        "es": "con grano: use más luz para que la cámara no tenga que subir la sensibilidad",
        "bn": "ছবিতে দানা দেখা যাচ্ছে: আরও আলো দিন, যাতে ক্যামেরাকে সংবেদনশীলতা বাড়াতে না হয়",
        "ks": "تصویرِ منٛز چھِ دانہٕ باسان: زیادٕ گاش کٔرِو، تاکہ کیمرس پیٚیہِ نہٕ حساسیت ہُرٲوٕنؠ",
        "ta": "படத்தில் புள்ளிகள் தெரிகின்றன: அதிக ஒளியைப் பயன்படுத்துங்கள், அப்போது கேமரா "
        "உணர்திறனைக் கூட்ட வேண்டியதில்லை",
        "de": "verrauscht: Sorgen Sie für mehr Licht, damit die Kamera die Empfindlichkeit "
        "nicht hochregeln muss",
        "fr": "granuleuse : ajoutez de la lumière pour que l'appareil n'ait pas à pousser sa "
        "sensibilité",
        "ja": "ざらついています：カメラが感度を上げずに済むよう、もっと明るくしてください",
    },
    "over_compressed": {
        "en": "blocky from compression: send the original file, not a copy forwarded through a "
        "chat app",
        "hi": "कंप्रेशन से चौकोर धब्बे हैं: असली फ़ाइल भेजें, चैट ऐप से आगे भेजी गई कॉपी नहीं",
        "es": "con bloques por la compresión: envíe el archivo original, no una copia reenviada "
        "por una aplicación de mensajería",
        "bn": "কম্প্রেশনের ফলে চৌকো দাগ: আসল ফাইলটি পাঠান, চ্যাট অ্যাপে ফরোয়ার্ড করা কপি নয়",
        "ks": "کمپریشنہٕ سٟتؠ چھِ چوکور داغ: اصل فائل سوزِو، چیٹ ایپہِ ذریعہٕ سوزنہٕ آمٕژ کاپی نہٕ",
        "ta": "சுருக்கத்தால் கட்டங்கள் தெரிகின்றன: அரட்டை செயலி வழியாக அனுப்பிய நகலை அல்ல, அசல் கோப்பை அனுப்புங்கள்",
        "de": "blockig durch Kompression: Senden Sie die Originaldatei, keine über einen "
        "Messenger weitergeleitete Kopie",
        "fr": "pixelisée par la compression : envoyez le fichier d'origine, pas une copie "
        "transférée par une messagerie",
        "ja": "圧縮でブロック状になっています："
        "チャットアプリで転送したコピーではなく、元のファイルを送ってください",
    },
    "dull_colours": {
        "en": "colours look dull: shoot in daylight, away from coloured or yellow lamps",
        "hi": "रंग फीके लगते हैं: दिन की रोशनी में फ़ोटो लें, रंगीन या पीली बत्तियों से दूर",
        "es": "los colores se ven apagados: haga la foto con luz de día, lejos de lámparas "
        "amarillas o de colores",
        "bn": "রং ম্লান দেখাচ্ছে: দিনের আলোয় ছবি তুলুন, রঙিন বা হলুদ বাতি থেকে দূরে",
        "ks": "رنگ چھِ پھیکۍ باسان: دۄہٕ کِس گاشس منٛز تُلِو تصویر، رنگہٕ دار یا لیٚدرِ بتین نِشہِ دوٗر",
        "ta": "நிறங்கள் மங்கலாகத் தெரிகின்றன: வண்ண அல்லது மஞ்சள் விளக்குகளிலிருந்து விலகி, பகல் "
        "வெளிச்சத்தில் படம் எடுங்கள்",
        "de": "die Farben wirken matt: Fotografieren Sie bei Tageslicht, fern von farbigen oder "
        "gelben Lampen",
        "fr": "les couleurs paraissent ternes : photographiez à la lumière du jour, loin des "
        "lampes jaunes ou colorées",
        "ja": "色がくすんで見えます：色付きや黄色い照明を避け、昼間の光で撮影してください",
    },
    "subject_small": {
        "en": "the product is small in the frame: move closer or crop so that it fills most of "
        "the photo",
        "hi": "फ़्रेम में उत्पाद छोटा है: पास जाएँ या फ़ोटो काटें, ताकि उत्पाद ज़्यादातर हिस्सा भरे",
        "es": "el producto se ve pequeño: acérquese o recorte para que ocupe casi toda la foto",
        "bn": "ফ্রেমে পণ্যটি ছোট: কাছে যান বা ছবি কেটে নিন, যাতে পণ্যটি ছবির বেশিরভাগ জুড়ে থাকে",
        "ks": "فریمس منٛز چھُ چیٖز لۄکُٹ: نزدیٖک گٔژھِو یا تصویر ژٹِو، تاکہ چیٖز رٹہِ تصویرِ ہُند زیادٕ حصہٕ",
        "ta": "சட்டகத்தில் பொருள் சிறியதாக உள்ளது: அருகில் செல்லுங்கள் அல்லது படத்தின் பெரும்பகுதியை "
        "அது நிரப்பும்படி வெட்டுங்கள்",
        "de": "das Produkt ist im Bild zu klein: Gehen Sie näher heran oder schneiden Sie zu, "
        "bis es den Großteil des Fotos füllt",
        "fr": "le produit est petit dans le cadre : approchez-vous ou recadrez pour qu'il "
        "occupe presque toute la photo",
        "ja": "商品が小さく写っています：近づくかトリミングして、"
        "写真の大部分を商品が占めるようにしてください",
    },
    "subject_missing": {
        "en": "nothing stands out from the background: check that the product is in the photo",
        "hi": "पृष्ठभूमि से कुछ अलग नहीं दिखता: जाँचें कि उत्पाद फ़ोटो में है",
        "es": "nada se distingue del fondo: compruebe que el producto sale en la foto",
        "bn": "পটভূমি থেকে কিছুই আলাদা দেখা যাচ্ছে না: পণ্যটি ছবিতে আছে কি না দেখুন",
        "ks": "پس منظرس نِشہِ چھُ نہٕ کیٛنٛہہ الگ باسان: وُچِھو زِ چیٖز چھا تصویرِ منٛز",
        "ta": "பின்னணியிலிருந்து எதுவும் தனித்துத் தெரியவில்லை: பொருள் படத்தில் உள்ளதா எனப் பாருங்கள்",
        "de": "nichts hebt sich vom Hintergrund ab: Prüfen Sie, ob das Produkt auf dem Foto ist",
        "fr": "rien ne se détache du fond : vérifiez que le produit est bien sur la photo",
        "ja": "背景から浮き出るものがありません：商品が写っているか確認してください",
    },
    "not_graded": {
        "en": "not graded yet: upload the photo again, or ask an administrator to re-grade photos",
        "hi": "अभी ग्रेड नहीं हुई: फ़ोटो फिर से अपलोड करें, या किसी व्यवस्थापक से फ़ोटो दोबारा ग्रेड करवाएँ",
        "es": "todavía sin calificar: vuelva a subir la foto o pida a un administrador que "
        "califique de nuevo las fotos",
        "bn": "এখনও গ্রেড হয়নি: ছবিটি আবার আপলোড করুন, বা কোনো অ্যাডমিনকে ছবিগুলি আবার গ্রেড করতে বলুন",
        "ks": "ابھی چھےٚ نہٕ گریڈ سپٕز: تصویر کٔرِو دوبارٕ اپلوڈ، "
        "یا وَنِو کُنہِ منتظمس تصویرن دوبارٕ گریڈ کرنہٕ خٲطرٕ",
        "ta": "இன்னும் தரம் இடப்படவில்லை: படத்தை மீண்டும் பதிவேற்றுங்கள், அல்லது படங்களுக்கு "
        "மீண்டும் தரம் இட நிர்வாகியைக் கேளுங்கள்",
        "de": "noch nicht bewertet: Laden Sie das Foto erneut hoch oder bitten Sie eine "
        "Administratorin oder einen Administrator, die Fotos neu zu bewerten",
        "fr": "pas encore évaluée : envoyez de nouveau la photo ou demandez à un administrateur "
        "de réévaluer les photos",
        "ja": "まだ評価されていません：写真をもう一度アップロードするか、"
        "管理者に再評価を依頼してください",
    },
}


def advice_language(language: str | None) -> str:
    """``language`` when Haat has advice texts in it, else English."""
    return language if language in SUPPORTED_LANGUAGES else "en"


def advice_text(code: str, language: str | None) -> str:
    """The advice for ``code`` in ``language`` (English for an unknown language).

    Raises ``KeyError`` for an unknown code: codes come from `grading.advice_codes`.
    """
    return ADVICE[code][advice_language(language)]
