/**
 * The built-in OTP wording of every supported locale (SPEC §12), one entry per BCP 47 tag.
 * Placeholders: `{app}`, `{code}`, `{minutes}` (the expiry phrase, see `minutes`), `{digits}`
 * (the code spelled out for the voice channel). SMS texts are kept short enough to fit one
 * segment for a 6-digit code, a short app name and a 2-digit expiry (checked in
 * test/locales.test.ts): 160 GSM-7 characters, or 70 UCS-2 code units for other scripts.
 */

/** A CLDR plural category (what `Intl.PluralRules#select` returns). */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

export interface LocaleWording {
  /**
   * "{n} minutes" in the grammatical form the expiry sentences need (e.g. Polish/Russian
   * accusative after "za"/"через"), per plural category of `Intl.PluralRules` for the locale;
   * `other` is the fallback. `{n}` is the number.
   */
  minutes: Partial<Record<PluralCategory, string>> & { other: string };
  /** Email subject. */
  subject: string;
  /** Email: the sentence the code follows. */
  intro: string;
  /** Email: expiry, and what to do when the recipient did not ask for the code. */
  expiry: string;
  sms: string;
  whatsapp: string;
  /** For the voice channel: the code said twice, digit by digit. */
  voice: string;
  /** Right-to-left script. */
  rtl?: true;
  /** Separates spoken digits (a pause for text-to-speech); `, ` when absent. */
  digitSeparator?: string;
}

export const WORDING = {
  en: {
    minutes: { one: '{n} minute', other: '{n} minutes' },
    subject: 'Your {app} verification code',
    intro: 'Your {app} verification code is:',
    expiry:
      'It expires in {minutes}. If you did not request it, you can ignore this email; never share this code with anyone.',
    sms: '{code} is your {app} verification code. It expires in {minutes}. Do not share it.',
    whatsapp: '*{code}* is your {app} verification code. It expires in {minutes}. Do not share it.',
    voice: 'Your {app} verification code is {digits}. I repeat: {digits}.',
  },
  es: {
    minutes: { one: '{n} minuto', many: '{n} de minutos', other: '{n} minutos' },
    subject: 'Tu código de verificación de {app}',
    intro: 'Tu código de verificación de {app} es:',
    expiry:
      'Caduca en {minutes}. Si no lo has solicitado, ignora este correo; no compartas nunca este código con nadie.',
    sms: '{code} es tu código de {app}. Caduca en {minutes}. No lo compartas.',
    whatsapp: '*{code}* es tu código de verificación de {app}. Caduca en {minutes}. No lo compartas.',
    voice: 'Tu código de verificación de {app} es {digits}. Repito: {digits}.',
  },
  pt: {
    minutes: { one: '{n} minuto', many: '{n} de minutos', other: '{n} minutos' },
    subject: 'O seu código de verificação para {app}',
    intro: 'O seu código de verificação para {app} é:',
    expiry:
      'Expira em {minutes}. Se não o pediu, ignore este e-mail; nunca partilhe este código com ninguém.',
    sms: '{code} é o seu código {app}. Expira em {minutes}. Não o partilhe.',
    whatsapp: '*{code}* é o seu código de verificação para {app}. Expira em {minutes}. Não o partilhe.',
    voice: 'O seu código de verificação para {app} é {digits}. Repito: {digits}.',
  },
  'pt-BR': {
    minutes: { one: '{n} minuto', many: '{n} de minutos', other: '{n} minutos' },
    subject: 'Seu código de verificação para {app}',
    intro: 'Seu código de verificação para {app} é:',
    expiry:
      'Ele expira em {minutes}. Se você não o solicitou, ignore este e-mail; nunca compartilhe este código com ninguém.',
    sms: '{code} é seu código {app}. Expira em {minutes}. Não o compartilhe.',
    whatsapp: '*{code}* é seu código de verificação para {app}. Expira em {minutes}. Não o compartilhe.',
    voice: 'Seu código de verificação para {app} é {digits}. Repito: {digits}.',
  },
  fr: {
    minutes: { one: '{n} minute', many: '{n} de minutes', other: '{n} minutes' },
    subject: 'Votre code de vérification {app}',
    intro: 'Votre code de vérification {app} est\u00a0:',
    expiry:
      'Il expire dans {minutes}. Si vous ne l’avez pas demandé, ignorez cet e-mail\u00a0; ne communiquez jamais ce code à personne.',
    sms: '{code} est votre code de vérification {app}. Il expire dans {minutes}. Ne le partagez pas.',
    whatsapp: '*{code}* est votre code de vérification {app}. Il expire dans {minutes}. Ne le partagez pas.',
    voice: 'Votre code de vérification {app} est {digits}. Je répète\u00a0: {digits}.',
  },
  de: {
    minutes: { one: '{n} Minute', other: '{n} Minuten' },
    subject: 'Ihr Bestätigungscode für {app}',
    intro: 'Ihr Bestätigungscode für {app} lautet:',
    expiry:
      'Er läuft in {minutes} ab. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail; geben Sie diesen Code niemals weiter.',
    sms: '{code} ist Ihr Bestätigungscode für {app}. Er läuft in {minutes} ab. Nicht weitergeben.',
    whatsapp: '*{code}* ist Ihr Bestätigungscode für {app}. Er läuft in {minutes} ab. Nicht weitergeben.',
    voice: 'Ihr Bestätigungscode für {app} lautet {digits}. Ich wiederhole: {digits}.',
  },
  it: {
    minutes: { one: '{n} minuto', many: '{n} di minuti', other: '{n} minuti' },
    subject: 'Il tuo codice di verifica {app}',
    intro: 'Il tuo codice di verifica {app} è:',
    expiry:
      'Scade tra {minutes}. Se non l’hai richiesto, ignora questa email; non condividere mai questo codice con nessuno.',
    sms: '{code} è il tuo codice di verifica {app}. Scade tra {minutes}. Non condividerlo.',
    whatsapp: '*{code}* è il tuo codice di verifica {app}. Scade tra {minutes}. Non condividerlo.',
    voice: 'Il tuo codice di verifica {app} è {digits}. Ripeto: {digits}.',
  },
  nl: {
    minutes: { one: '{n} minuut', other: '{n} minuten' },
    subject: 'Je verificatiecode voor {app}',
    intro: 'Je verificatiecode voor {app} is:',
    expiry:
      'De code verloopt over {minutes}. Heb je deze niet aangevraagd, negeer dan deze e-mail; deel deze code nooit met iemand.',
    sms: '{code} is je verificatiecode voor {app}. De code verloopt over {minutes}. Deel hem met niemand.',
    whatsapp:
      '*{code}* is je verificatiecode voor {app}. De code verloopt over {minutes}. Deel hem met niemand.',
    voice: 'Je verificatiecode voor {app} is {digits}. Ik herhaal: {digits}.',
  },
  sv: {
    minutes: { one: '{n} minut', other: '{n} minuter' },
    subject: 'Din verifieringskod för {app}',
    intro: 'Din verifieringskod för {app} är:',
    expiry:
      'Den går ut om {minutes}. Om du inte har begärt den kan du ignorera det här mejlet; dela aldrig koden med någon.',
    sms: '{code} är din verifieringskod för {app}. Den går ut om {minutes}. Dela den inte med någon.',
    whatsapp: '*{code}* är din verifieringskod för {app}. Den går ut om {minutes}. Dela den inte med någon.',
    voice: 'Din verifieringskod för {app} är {digits}. Jag upprepar: {digits}.',
  },
  da: {
    minutes: { one: '{n} minut', other: '{n} minutter' },
    subject: 'Din bekræftelseskode til {app}',
    intro: 'Din bekræftelseskode til {app} er:',
    expiry:
      'Den udløber om {minutes}. Hvis du ikke har bedt om den, kan du se bort fra denne e-mail; del aldrig koden med nogen.',
    sms: '{code} er din bekræftelseskode til {app}. Den udløber om {minutes}. Del den ikke med nogen.',
    whatsapp: '*{code}* er din bekræftelseskode til {app}. Den udløber om {minutes}. Del den ikke med nogen.',
    voice: 'Din bekræftelseskode til {app} er {digits}. Jeg gentager: {digits}.',
  },
  nb: {
    minutes: { one: '{n} minutt', other: '{n} minutter' },
    subject: 'Din bekreftelseskode for {app}',
    intro: 'Din bekreftelseskode for {app} er:',
    expiry:
      'Den utløper om {minutes}. Hvis du ikke har bedt om den, kan du se bort fra denne e-posten; del aldri koden med noen.',
    sms: '{code} er din bekreftelseskode for {app}. Den utløper om {minutes}. Ikke del den med noen.',
    whatsapp: '*{code}* er din bekreftelseskode for {app}. Den utløper om {minutes}. Ikke del den med noen.',
    voice: 'Din bekreftelseskode for {app} er {digits}. Jeg gjentar: {digits}.',
  },
  fi: {
    // "n minuutin kuluttua": the genitive singular follows every numeral.
    minutes: { other: '{n} minuutin' },
    subject: 'Vahvistuskoodisi palveluun {app}',
    intro: 'Vahvistuskoodisi palveluun {app} on:',
    expiry:
      'Koodi vanhenee {minutes} kuluttua. Jos et pyytänyt sitä, voit jättää tämän viestin huomiotta; älä koskaan kerro koodia kenellekään.',
    sms: '{code} on vahvistuskoodisi palveluun {app}. Koodi vanhenee {minutes} kuluttua. Älä jaa sitä.',
    whatsapp:
      '*{code}* on vahvistuskoodisi palveluun {app}. Koodi vanhenee {minutes} kuluttua. Älä kerro sitä kenellekään.',
    voice: 'Vahvistuskoodisi palveluun {app} on {digits}. Toistan: {digits}.',
  },
  pl: {
    // Accusative after "za": 1 minutę, 2–4 minuty, 5+ minut (22 minuty, 25 minut).
    minutes: { one: '{n} minutę', few: '{n} minuty', many: '{n} minut', other: '{n} minuty' },
    subject: 'Twój kod weryfikacyjny {app}',
    intro: 'Twój kod weryfikacyjny {app} to:',
    expiry:
      'Kod wygasa za {minutes}. Jeśli to nie Ty prosisz o kod, zignoruj tę wiadomość; nigdy nikomu nie podawaj tego kodu.',
    sms: '{code} to Twój kod {app}. Wygasa za {minutes}. Nie podawaj go nikomu.',
    whatsapp: '*{code}* to Twój kod weryfikacyjny {app}. Wygasa za {minutes}. Nie podawaj go nikomu.',
    voice: 'Twój kod weryfikacyjny {app} to {digits}. Powtarzam: {digits}.',
  },
  cs: {
    // Accusative: 1 minutu, 2–4 minuty, 5+ minut; decimals ("many") take minuty.
    minutes: { one: '{n} minutu', few: '{n} minuty', many: '{n} minuty', other: '{n} minut' },
    subject: 'Váš ověřovací kód pro {app}',
    intro: 'Váš ověřovací kód pro {app} je:',
    expiry:
      'Platnost kódu vyprší za {minutes}. Pokud jste o kód nežádali, tento e-mail ignorujte; kód nikdy nikomu nesdělujte.',
    sms: '{code} je váš kód pro {app}. Platí {minutes}. Nikomu ho nesdělujte.',
    whatsapp: '*{code}* je váš ověřovací kód pro {app}. Platí {minutes}. Nikomu ho nesdělujte.',
    voice: 'Váš ověřovací kód pro {app} je {digits}. Opakuji: {digits}.',
  },
  ro: {
    // 1 minut, 2–19 minute, 20+ "de minute" (and 101–119 minute again).
    minutes: { one: '{n} minut', few: '{n} minute', other: '{n} de minute' },
    subject: 'Codul tău de verificare {app}',
    intro: 'Codul tău de verificare {app} este:',
    expiry:
      'Expiră în {minutes}. Dacă nu l-ai solicitat, ignoră acest e-mail; nu comunica nimănui acest cod.',
    sms: '{code} este codul tău {app}. Expiră în {minutes}. Nu îl da nimănui.',
    whatsapp: '*{code}* este codul tău de verificare {app}. Expiră în {minutes}. Nu îl da nimănui.',
    voice: 'Codul tău de verificare {app} este {digits}. Repet: {digits}.',
  },
  hu: {
    // The noun stays singular after a numeral.
    minutes: { other: '{n} perc' },
    subject: 'A(z) {app} ellenőrző kódod',
    intro: 'A(z) {app} ellenőrző kódod:',
    expiry:
      'A kód {minutes} múlva lejár. Ha nem te kérted, hagyd figyelmen kívül ezt az e-mailt; soha ne oszd meg senkivel ezt a kódot.',
    sms: '{code} a(z) {app} kódod. {minutes} múlva lejár. Ne oszd meg senkivel.',
    whatsapp: '*{code}* a(z) {app} ellenőrző kódod. {minutes} múlva lejár. Ne oszd meg senkivel.',
    voice: 'A(z) {app} ellenőrző kódod: {digits}. Ismétlem: {digits}.',
  },
  el: {
    minutes: { one: '{n} λεπτό', other: '{n} λεπτά' },
    subject: 'Ο κωδικός επαλήθευσης για το {app}',
    intro: 'Ο κωδικός επαλήθευσης για το {app} είναι:',
    expiry:
      'Λήγει σε {minutes}. Αν δεν τον ζητήσατε, αγνοήστε αυτό το email. Μην τον δώσετε ποτέ σε κανέναν.',
    sms: '{code}: ο κωδικός σας για το {app}. Λήγει σε {minutes}. Μην τον δώσετε.',
    whatsapp: '*{code}*: ο κωδικός επαλήθευσης για το {app}. Λήγει σε {minutes}. Μην τον δώσετε σε κανέναν.',
    voice: 'Ο κωδικός επαλήθευσης για το {app} είναι {digits}. Επαναλαμβάνω: {digits}.',
  },
  tr: {
    // The noun stays singular after a numeral.
    minutes: { other: '{n} dakika' },
    subject: '{app} doğrulama kodunuz',
    intro: '{app} doğrulama kodunuz:',
    expiry:
      'Kod {minutes} içinde geçerliliğini yitirir. Bu kodu siz istemediyseniz bu e-postayı yok sayın; kodu asla kimseyle paylaşmayın.',
    sms: '{code} {app} doğrulama kodunuzdur. {minutes} geçerlidir. Paylaşmayın.',
    whatsapp: '*{code}* {app} doğrulama kodunuzdur. {minutes} geçerlidir. Kimseyle paylaşmayın.',
    voice: '{app} doğrulama kodunuz {digits}. Tekrar ediyorum: {digits}.',
  },
  ru: {
    // Accusative of duration: 1 (21, 31…) минуту, 2–4 минуты, 5+ минут; fractions минуты.
    minutes: { one: '{n} минуту', few: '{n} минуты', many: '{n} минут', other: '{n} минуты' },
    subject: 'Ваш код подтверждения {app}',
    intro: 'Ваш код подтверждения {app}:',
    expiry:
      'Код действует {minutes}. Если вы его не запрашивали, проигнорируйте это письмо; никому не сообщайте этот код.',
    sms: '{code} — код {app}. Действует {minutes}. Никому его не сообщайте.',
    whatsapp: '*{code}* — ваш код подтверждения {app}. Действует {minutes}. Никому его не сообщайте.',
    voice: 'Ваш код подтверждения {app}: {digits}. Повторяю: {digits}.',
  },
  uk: {
    // Accusative of duration: 1 (21…) хвилину, 2–4 хвилини, 5+ хвилин; fractions хвилини.
    minutes: { one: '{n} хвилину', few: '{n} хвилини', many: '{n} хвилин', other: '{n} хвилини' },
    subject: 'Ваш код підтвердження {app}',
    intro: 'Ваш код підтвердження {app}:',
    expiry:
      'Код дійсний {minutes}. Якщо ви його не запитували, проігноруйте цей лист; нікому не повідомляйте цей код.',
    sms: '{code} — код {app}. Дійсний {minutes}. Нікому його не повідомляйте.',
    whatsapp: '*{code}* — ваш код підтвердження {app}. Дійсний {minutes}. Нікому його не повідомляйте.',
    voice: 'Ваш код підтвердження {app}: {digits}. Повторюю: {digits}.',
  },
  ar: {
    // 1 and 2 are said with the noun alone (دقيقة واحدة، دقيقتين); 3–10 plural; 11–99 singular.
    minutes: {
      zero: '{n} دقيقة',
      one: 'دقيقة واحدة',
      two: 'دقيقتين',
      few: '{n} دقائق',
      many: '{n} دقيقة',
      other: '{n} دقيقة',
    },
    subject: 'رمز التحقق الخاص بـ {app}',
    intro: 'رمز التحقق الخاص بـ {app} هو:',
    expiry:
      'تنتهي صلاحيته خلال {minutes}. إذا لم تطلبه، فتجاهل هذه الرسالة، ولا تشارك هذا الرمز مع أي شخص أبدًا.',
    sms: 'رمز التحقق لـ {app} هو {code}. صالح لمدة {minutes}. لا تشاركه مع أحد.',
    whatsapp: 'رمز التحقق لـ {app} هو *{code}*. صالح لمدة {minutes}. لا تشاركه مع أحد.',
    voice: 'رمز التحقق الخاص بـ {app} هو {digits}. أكرر: {digits}.',
    rtl: true,
    digitSeparator: '، ',
  },
  he: {
    // One minute and two minutes are said without the numeral (דקה אחת, שתי דקות).
    minutes: { one: 'דקה אחת', two: 'שתי דקות', other: '{n} דקות' },
    subject: 'קוד האימות שלך ל-{app}',
    intro: 'קוד האימות שלך ל-{app} הוא:',
    expiry: 'הקוד יפוג בעוד {minutes}. אם לא ביקשת אותו, אפשר להתעלם מהודעה זו; אין למסור את הקוד לאף אחד.',
    sms: '{code} הוא קוד האימות שלך ל-{app}. הקוד בתוקף {minutes}. אין למסור אותו.',
    whatsapp: '*{code}* הוא קוד האימות שלך ל-{app}. הקוד בתוקף {minutes}. אין למסור אותו לאף אחד.',
    voice: 'קוד האימות שלך ל-{app} הוא {digits}. שוב: {digits}.',
    rtl: true,
  },
  fa: {
    // The noun stays singular after a numeral.
    minutes: { other: '{n} دقیقه' },
    subject: 'کد تأیید {app} شما',
    intro: 'کد تأیید {app} شما:',
    expiry:
      'این کد تا {minutes} دیگر منقضی می‌شود. اگر آن را درخواست نکرده‌اید، این ایمیل را نادیده بگیرید و این کد را هرگز به کسی ندهید.',
    sms: 'کد تأیید {app}: {code}. تا {minutes} دیگر معتبر است. آن را به کسی ندهید.',
    whatsapp: 'کد تأیید {app}: *{code}*. تا {minutes} دیگر معتبر است. آن را به کسی ندهید.',
    voice: 'کد تأیید {app} شما {digits} است. تکرار می‌کنم: {digits}.',
    rtl: true,
    digitSeparator: '، ',
  },
  ur: {
    // The noun stays singular after a numeral.
    minutes: { other: '{n} منٹ' },
    subject: 'آپ کا {app} تصدیقی کوڈ',
    intro: 'آپ کا {app} تصدیقی کوڈ یہ ہے:',
    expiry:
      'یہ {minutes} میں ختم ہو جائے گا۔ اگر آپ نے اس کی درخواست نہیں کی تو اس ای میل کو نظر انداز کریں؛ یہ کوڈ کبھی کسی کو نہ بتائیں۔',
    sms: '{code} آپ کا {app} کوڈ ہے۔ {minutes} میں ختم ہو گا۔ کسی کو نہ بتائیں۔',
    whatsapp: '*{code}* آپ کا {app} تصدیقی کوڈ ہے۔ یہ {minutes} میں ختم ہو جائے گا۔ کسی کو نہ بتائیں۔',
    voice: 'آپ کا {app} تصدیقی کوڈ {digits} ہے۔ ایک بار پھر: {digits}۔',
    rtl: true,
    digitSeparator: '، ',
  },
  hi: {
    // The noun does not change after a numeral.
    minutes: { other: '{n} मिनट' },
    subject: 'आपका {app} सत्यापन कोड',
    intro: 'आपका {app} सत्यापन कोड है:',
    expiry:
      'यह {minutes} में समाप्त हो जाएगा। यदि आपने इसका अनुरोध नहीं किया है, तो इस ईमेल को अनदेखा करें; यह कोड कभी किसी के साथ साझा न करें।',
    sms: '{code} आपका {app} कोड है। {minutes} तक मान्य। इसे साझा न करें।',
    whatsapp: '*{code}* आपका {app} सत्यापन कोड है। यह {minutes} में समाप्त हो जाएगा। इसे साझा न करें।',
    voice: 'आपका {app} सत्यापन कोड है {digits}। फिर से: {digits}।',
  },
  bn: {
    // The noun does not change after a numeral.
    minutes: { other: '{n} মিনিট' },
    subject: 'আপনার {app} যাচাইকরণ কোড',
    intro: 'আপনার {app} যাচাইকরণ কোড হলো:',
    expiry:
      'এটির মেয়াদ {minutes} পরে শেষ হবে। আপনি যদি এটির অনুরোধ না করে থাকেন, তবে এই ইমেলটি উপেক্ষা করুন; এই কোড কখনো কারও সাথে শেয়ার করবেন না।',
    sms: '{code} আপনার {app} কোড। মেয়াদ {minutes}। কাউকে জানাবেন না।',
    whatsapp: '*{code}* আপনার {app} যাচাইকরণ কোড। মেয়াদ {minutes}। কাউকে জানাবেন না।',
    voice: 'আপনার {app} যাচাইকরণ কোড হলো {digits}। আবার বলছি: {digits}।',
  },
  id: {
    minutes: { other: '{n} menit' },
    subject: 'Kode verifikasi {app} Anda',
    intro: 'Kode verifikasi {app} Anda adalah:',
    expiry:
      'Kode ini kedaluwarsa dalam {minutes}. Jika Anda tidak memintanya, abaikan email ini; jangan pernah bagikan kode ini kepada siapa pun.',
    sms: '{code} adalah kode verifikasi {app} Anda. Berlaku {minutes}. Jangan bagikan kode ini.',
    whatsapp:
      '*{code}* adalah kode verifikasi {app} Anda. Berlaku {minutes}. Jangan bagikan kode ini kepada siapa pun.',
    voice: 'Kode verifikasi {app} Anda adalah {digits}. Saya ulangi: {digits}.',
  },
  ms: {
    minutes: { other: '{n} minit' },
    subject: 'Kod pengesahan {app} anda',
    intro: 'Kod pengesahan {app} anda ialah:',
    expiry:
      'Kod ini akan tamat tempoh dalam {minutes}. Jika anda tidak memintanya, abaikan e-mel ini; jangan sekali-kali berkongsi kod ini dengan sesiapa.',
    sms: '{code} ialah kod pengesahan {app} anda. Sah selama {minutes}. Jangan kongsi kod ini.',
    whatsapp:
      '*{code}* ialah kod pengesahan {app} anda. Sah selama {minutes}. Jangan kongsi kod ini dengan sesiapa.',
    voice: 'Kod pengesahan {app} anda ialah {digits}. Saya ulang: {digits}.',
  },
  th: {
    // Thai separates sentences with spaces, not full stops.
    minutes: { other: '{n} นาที' },
    subject: 'รหัสยืนยัน {app} ของคุณ',
    intro: 'รหัสยืนยัน {app} ของคุณคือ:',
    expiry: 'รหัสจะหมดอายุใน {minutes} หากคุณไม่ได้ขอรหัสนี้ โปรดเพิกเฉยต่ออีเมลนี้ และอย่าเปิดเผยรหัสนี้แก่ผู้ใด',
    sms: 'รหัส {app} ของคุณคือ {code} ใช้ได้ {minutes} ห้ามบอกผู้อื่น',
    whatsapp: 'รหัสยืนยัน {app} ของคุณคือ *{code}* ใช้ได้ {minutes} ห้ามเปิดเผยรหัสนี้แก่ผู้อื่น',
    voice: 'รหัสยืนยัน {app} ของคุณคือ {digits} ขอย้ำอีกครั้ง {digits}',
    digitSeparator: ' ',
  },
  vi: {
    minutes: { other: '{n} phút' },
    subject: 'Mã xác minh {app} của bạn',
    intro: 'Mã xác minh {app} của bạn là:',
    expiry:
      'Mã sẽ hết hạn sau {minutes}. Nếu bạn không yêu cầu mã này, hãy bỏ qua email này; tuyệt đối không chia sẻ mã này với bất kỳ ai.',
    sms: '{code} là mã {app} của bạn. Hết hạn sau {minutes}. Không chia sẻ mã.',
    whatsapp: '*{code}* là mã xác minh {app} của bạn. Hết hạn sau {minutes}. Không chia sẻ mã này với ai.',
    voice: 'Mã xác minh {app} của bạn là {digits}. Xin nhắc lại: {digits}.',
  },
  'zh-CN': {
    minutes: { other: '{n} 分钟' },
    subject: '您的 {app} 验证码',
    intro: '您的 {app} 验证码是：',
    expiry: '验证码将在 {minutes}后失效。如果这不是您本人的操作，请忽略此邮件；切勿将验证码告诉任何人。',
    sms: '{code} 是您的 {app} 验证码，{minutes}内有效。请勿告诉他人。',
    whatsapp: '*{code}* 是您的 {app} 验证码，{minutes}内有效。请勿告诉他人。',
    voice: '您的 {app} 验证码是 {digits}。重复一遍：{digits}。',
    digitSeparator: '、',
  },
  'zh-TW': {
    minutes: { other: '{n} 分鐘' },
    subject: '您的 {app} 驗證碼',
    intro: '您的 {app} 驗證碼是：',
    expiry: '驗證碼將於 {minutes}後失效。如果這不是您本人的操作，請忽略此郵件；切勿將驗證碼告訴任何人。',
    sms: '{code} 是您的 {app} 驗證碼，{minutes}內有效。請勿告訴他人。',
    whatsapp: '*{code}* 是您的 {app} 驗證碼，{minutes}內有效。請勿告訴他人。',
    voice: '您的 {app} 驗證碼是 {digits}。重複一次：{digits}。',
    digitSeparator: '、',
  },
  ja: {
    minutes: { other: '{n}分' },
    subject: '{app} の認証コード',
    intro: '{app} の認証コード：',
    expiry:
      'このコードの有効期限は{minutes}です。お心当たりがない場合は、このメールを破棄してください。このコードは誰にも教えないでください。',
    sms: '{app} の認証コード：{code}（{minutes}間有効）。誰にも教えないでください。',
    whatsapp: '{app} の認証コード：*{code}*（{minutes}間有効）。誰にも教えないでください。',
    voice: '{app} の認証コードは {digits} です。繰り返します。{digits}。',
    digitSeparator: '、',
  },
  ko: {
    minutes: { other: '{n}분' },
    subject: '{app} 인증 코드',
    intro: '{app} 인증 코드:',
    expiry:
      '이 코드는 {minutes} 후에 만료됩니다. 요청하지 않으셨다면 이 이메일을 무시하세요. 이 코드를 다른 사람과 절대 공유하지 마세요.',
    sms: '[{app}] 인증 코드 {code}. {minutes} 후 만료됩니다. 타인에게 알려주지 마세요.',
    whatsapp: '[{app}] 인증 코드 *{code}*. {minutes} 후 만료됩니다. 타인에게 알려주지 마세요.',
    voice: '{app} 인증 코드는 {digits}입니다. 다시 한번 말씀드립니다. {digits}.',
  },
  sw: {
    // The noun comes first and does not change: "dakika 10".
    minutes: { other: 'dakika {n}' },
    subject: 'Msimbo wako wa uthibitishaji wa {app}',
    intro: 'Msimbo wako wa uthibitishaji wa {app} ni:',
    expiry:
      'Msimbo huu utaisha muda baada ya {minutes}. Ikiwa hukuuomba, puuza barua pepe hii; usimpe mtu yeyote msimbo huu.',
    sms: '{code} ni msimbo wako wa uthibitishaji wa {app}. Utaisha baada ya {minutes}. Usimpe mtu yeyote.',
    whatsapp:
      '*{code}* ni msimbo wako wa uthibitishaji wa {app}. Utaisha baada ya {minutes}. Usimpe mtu yeyote.',
    voice: 'Msimbo wako wa uthibitishaji wa {app} ni {digits}. Narudia: {digits}.',
  },
  fil: {
    // The noun does not change after a numeral.
    minutes: { other: '{n} minuto' },
    subject: 'Ang iyong {app} verification code',
    intro: 'Ang iyong {app} verification code ay:',
    expiry:
      'Mag-e-expire ito sa loob ng {minutes}. Kung hindi mo ito hiniling, huwag pansinin ang email na ito; huwag kailanman ibahagi ang code na ito sa iba.',
    sms: '{code} ang iyong {app} verification code. Mag-e-expire ito sa loob ng {minutes}. Huwag itong ibahagi.',
    whatsapp:
      '*{code}* ang iyong {app} verification code. Mag-e-expire ito sa loob ng {minutes}. Huwag itong ibahagi.',
    voice: 'Ang iyong {app} verification code ay {digits}. Uulitin ko: {digits}.',
  },
} satisfies Record<string, LocaleWording>;
