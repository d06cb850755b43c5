<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi">
<context>
    <name>ActionDialog</name>
    <message>
        <source>Action taken on the tip</source>
        <translation>सूचना पर की गई कार्रवाई</translation>
    </message>
    <message>
        <source>Action taken</source>
        <translation>की गई कार्रवाई</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>दर्ज करें</translation>
    </message>
    <message>
        <source>What was done (a raid, an inquiry, a visit)?</source>
        <translation>क्या किया गया (छापा, जाँच, मौके पर जाना)?</translation>
    </message>
</context>
<context>
    <name>ActionForm</name>
    <message>
        <source>Form message</source>
        <translation>फ़ॉर्म संदेश</translation>
    </message>
    <message>
        <source>Close (keeps draft)</source>
        <translation type="vanished">बंद करें (मसौदा सुरक्षित)</translation>
    </message>
    <message>
        <source>Close the form and keep the draft</source>
        <translation>फ़ॉर्म बंद करें और मसौदा सुरक्षित रखें</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— चुनें —</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not in the list; choose one of its names.</source>
        <translation>%1: &quot;%2&quot; सूची में नहीं है; इसके किसी नाम को चुनें।</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>नहीं दिया</translation>
    </message>
    <message>
        <source>decimal number, e.g. 26.8467</source>
        <translation type="vanished">दशमलव संख्या, जैसे 26.8467</translation>
    </message>
    <message>
        <source>Cancel (draft kept)</source>
        <translation>रद्द करें (ड्राफ़्ट सुरक्षित)</translation>
    </message>
    <message>
        <source>decimal number</source>
        <translation>दशमलव संख्या</translation>
    </message>
    <message>
        <source>Choose the entry to correct.</source>
        <translation>सुधारने के लिए प्रविष्टि चुनें।</translation>
    </message>
    <message>
        <source>Change at least one field of the entry.</source>
        <translation>प्रविष्टि का कम से कम एक क्षेत्र बदलें।</translation>
    </message>
    <message>
        <source>Draft restored: nothing you typed was lost.</source>
        <translation>मसौदा वापस लाया गया: आपका लिखा कुछ भी नहीं खोया।</translation>
    </message>
    <message>
        <source>Draft saved on this workstation.</source>
        <translation>मसौदा इस वर्कस्टेशन पर सहेजा गया।</translation>
    </message>
    <message>
        <source>Please fill in: %1</source>
        <translation>कृपया भरें: %1</translation>
    </message>
    <message>
        <source>%1 must be a number.</source>
        <translation>%1 एक संख्या होनी चाहिए।</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="vanished">सहेजा नहीं गया: %1</translation>
    </message>
    <message>
        <source>Not saved: %1 Your draft is kept.</source>
        <translation>सहेजा नहीं गया: %1 आपका मसौदा रखा गया है।</translation>
    </message>
    <message>
        <source>Not saved: the local store failed (%1). Your draft is kept.</source>
        <translation type="vanished">सहेजा नहीं गया: स्थानीय डेटाबेस विफल (%1)। आपका मसौदा सुरक्षित है।</translation>
    </message>
    <message>
        <source>Choose the district of the police station.</source>
        <translation>थाने का ज़िला चुनें।</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>स्वीकार करें (Ctrl+K)</translation>
    </message>
    <message>
        <source>Mute…</source>
        <translation>मौन करें…</translation>
    </message>
    <message>
        <source>Open case (F2)</source>
        <translation>केस खोलें (F2)</translation>
    </message>
    <message>
        <source>New alert waiting — unlock to view</source>
        <translation>नया अलर्ट प्रतीक्षा में — देखने के लिए अनलॉक करें</translation>
    </message>
    <message>
        <source>DISPATCH OVERDUE — send a team</source>
        <translation>टीम भेजने में देरी — तुरंत टीम भेजें</translation>
    </message>
    <message>
        <source>SUICIDE-RISK ALERT — acknowledge now</source>
        <translation>आत्महत्या-जोखिम अलर्ट — अभी स्वीकार करें</translation>
    </message>
    <message>
        <source>Priority P%1</source>
        <translation>प्राथमिकता P%1</translation>
    </message>
    <message>
        <source>Police station: %1</source>
        <translation>थाना: %1</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>नाम: %1</translation>
    </message>
    <message>
        <source>Waiting: %1</source>
        <translation>प्रतीक्षा: %1</translation>
    </message>
    <message>
        <source>+%1 more alerts ringing</source>
        <translation>+%1 और अलर्ट बज रहे हैं</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Rakshak keeps its database key in the operating system&apos;s keyring and cannot start without one.

%1

On Debian/Ubuntu: sudo apt install gnome-keyring, then log in to the desktop once so it is unlocked.

No case data has been written.</source>
        <translation>रक्षक अपने डेटाबेस की कुंजी ऑपरेटिंग सिस्टम के कीरिंग में रखता है और उसके बिना शुरू नहीं हो सकता।

%1

Debian/Ubuntu पर: sudo apt install gnome-keyring, फिर डेस्कटॉप में एक बार लॉगिन करें ताकि वह खुल जाए।

कोई केस डेटा नहीं लिखा गया है।</translation>
    </message>
    <message>
        <source>Rakshak cannot start: no OS keyring</source>
        <translation>रक्षक शुरू नहीं हो सकता: OS कीरिंग उपलब्ध नहीं</translation>
    </message>
    <message>
        <source>Rakshak cannot open its local store</source>
        <translation>रक्षक अपना स्थानीय डेटाबेस नहीं खोल सकता</translation>
    </message>
</context>
<context>
    <name>Attention</name>
    <message>
        <source>Rakshak: new alert</source>
        <translation>रक्षक: नया अलर्ट</translation>
    </message>
    <message>
        <source>A suicide-risk alert needs acknowledgement now.</source>
        <translation>एक आत्महत्या-जोखिम अलर्ट को अभी स्वीकार करना ज़रूरी है।</translation>
    </message>
</context>
<context>
    <name>AudioCheck</name>
    <message>
        <source>no audio output device (no sound card, or the audio service is not running)</source>
        <translation>कोई ऑडियो आउटपुट डिवाइस नहीं (साउंड कार्ड नहीं है, या ऑडियो सेवा नहीं चल रही)</translation>
    </message>
    <message>
        <source>only a dummy audio output (no sound card or speaker is connected)</source>
        <translation>केवल डमी ऑडियो आउटपुट (कोई साउंड कार्ड या स्पीकर जुड़ा नहीं है)</translation>
    </message>
    <message>
        <source>the alarm sound cannot be played on “%1” (player error)</source>
        <translation>अलार्म की आवाज़ “%1” पर नहीं बजाई जा सकती (प्लेयर त्रुटि)</translation>
    </message>
    <message>
        <source>the alarm sound cannot be loaded or played</source>
        <translation>अलार्म की आवाज़ लोड नहीं हो सकती या बजाई नहीं जा सकती</translation>
    </message>
    <message>
        <source>alarm ready on audio output “%1”</source>
        <translation>अलार्म ऑडियो आउटपुट “%1” पर तैयार है</translation>
    </message>
    <message>
        <source>alarm playing on “%1”</source>
        <translation>अलार्म “%1” पर बज रहा है</translation>
    </message>
    <message>
        <source>the alarm is already sounding</source>
        <translation>अलार्म पहले से बज रहा है</translation>
    </message>
    <message>
        <source>test alarm played on “%1”: confirm everyone heard it</source>
        <translation>परीक्षण अलार्म “%1” पर बजा: पुष्टि करें कि सभी ने इसे सुना</translation>
    </message>
    <message>
        <source>test interrupted: a real alarm started</source>
        <translation>परीक्षण बीच में रुका: असली अलार्म शुरू हो गया</translation>
    </message>
    <message>
        <source>test stopped before it finished</source>
        <translation>परीक्षण पूरा होने से पहले रोक दिया गया</translation>
    </message>
    <message>
        <source>the control room did not hear the test alarm</source>
        <translation>नियंत्रण कक्ष में परीक्षण अलार्म सुनाई नहीं दिया</translation>
    </message>
</context>
<context>
    <name>AudioHealth</name>
    <message>
        <source>The alarm cannot sound: %1</source>
        <translation>अलार्म नहीं बज सकता: %1</translation>
    </message>
    <message>
        <source>Alarm test</source>
        <translation>अलार्म जाँच</translation>
    </message>
    <message>
        <source>Test alarm playing: confirm you can hear it.</source>
        <translation>जाँच अलार्म बज रहा है: पुष्टि करें कि आवाज़ सुनाई दे रही है।</translation>
    </message>
    <message>
        <source>Test alarm finished. Did everyone in the control room hear it clearly?</source>
        <translation>परीक्षण अलार्म समाप्त। क्या नियंत्रण कक्ष में सभी ने इसे साफ़ सुना?</translation>
    </message>
    <message>
        <source>Yes, we heard it</source>
        <translation>हाँ, सुना</translation>
    </message>
    <message>
        <source>No, it was not heard</source>
        <translation>नहीं, सुनाई नहीं दिया</translation>
    </message>
    <message>
        <source>Test alarm not heard: the warning stays until a test alarm is heard.</source>
        <translation>परीक्षण अलार्म सुनाई नहीं दिया: जब तक कोई परीक्षण अलार्म सुनाई न दे, चेतावनी दिखती रहेगी।</translation>
    </message>
    <message>
        <source>Test alarm heard: thank you, reported to HQ.</source>
        <translation>परीक्षण अलार्म सुना गया: धन्यवाद, मुख्यालय को सूचित कर दिया गया।</translation>
    </message>
</context>
<context>
    <name>Board</name>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>District (worst first)</source>
        <translation>ज़िला (सबसे गंभीर पहले)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>प्रतीक्षा</translation>
    </message>
    <message>
        <source>Age of the oldest case the district has not acknowledged</source>
        <translation>ज़िले द्वारा अस्वीकृत सबसे पुराने केस की आयु</translation>
    </message>
    <message>
        <source>Unack.</source>
        <translation>अस्वी.</translation>
    </message>
    <message>
        <source>Open cases not acknowledged by the district</source>
        <translation>खुले केस जिन्हें ज़िले ने स्वीकार नहीं किया</translation>
    </message>
    <message>
        <source>Ack.</source>
        <translation>स्वी.</translation>
    </message>
    <message>
        <source>Acknowledged, not dispatched</source>
        <translation>स्वीकृत, टीम नहीं भेजी गई</translation>
    </message>
    <message>
        <source>Disp.</source>
        <translation>भेजी</translation>
    </message>
    <message>
        <source>Dispatched or forwarded, not reached</source>
        <translation>टीम भेजी या अग्रेषित, अभी पहुँचे नहीं</translation>
    </message>
    <message>
        <source>Reach.</source>
        <translation>पहुँचे</translation>
    </message>
    <message>
        <source>Reached, no outcome yet</source>
        <translation>पहुँच गए, परिणाम अभी नहीं</translation>
    </message>
    <message>
        <source>Outc.</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Outcome recorded, case not closed</source>
        <translation>परिणाम दर्ज, केस बंद नहीं</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <source>Consoles online / consoles of the district</source>
        <translation>ऑनलाइन कंसोल / ज़िले के कुल कंसोल</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>ध्वनि</translation>
    </message>
    <message>
        <source>Online consoles whose alarm can sound</source>
        <translation>ऑनलाइन कंसोल जिनका अलार्म बज सकता है</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>आउटबॉक्स</translation>
    </message>
    <message>
        <source>Entries waiting in the consoles&apos; outboxes</source>
        <translation>कंसोल के आउटबॉक्स में भेजे जाने को शेष प्रविष्टियाँ</translation>
    </message>
    <message>
        <source>Esc.</source>
        <translation>एस्क.</translation>
    </message>
    <message>
        <source>Escalation steps taken on open cases</source>
        <translation>खुले केसों पर उठाए गए एस्केलेशन चरण</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>चेतावनी</translation>
    </message>
    <message>
        <source>Heartbeat alert</source>
        <translation>हार्टबीट चेतावनी</translation>
    </message>
    <message>
        <source>%1 escalation step(s) on %2 case(s); last: %3 at %4</source>
        <translation>%2 केस पर %1 एस्केलेशन चरण; अंतिम: %3, %4 बजे</translation>
    </message>
    <message>
        <source>Last heartbeat: %1</source>
        <translation>अंतिम हार्टबीट: %1</translation>
    </message>
    <message>
        <source>Double-click or Enter: the district&apos;s cases and consoles</source>
        <translation>डबल-क्लिक या Enter: ज़िले के केस और कंसोल</translation>
    </message>
    <message>
        <source>No console</source>
        <translation>कोई कंसोल नहीं</translation>
    </message>
    <message>
        <source>No heartbeat since %1</source>
        <translation>%1 से हार्टबीट नहीं</translation>
    </message>
    <message>
        <source>Cannot sound since %1</source>
        <translation>%1 से अलार्म मौन</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <source>Filter by range</source>
        <translation>रेंज से छाँटें</translation>
    </message>
    <message>
        <source>All ranges</source>
        <translation>सभी रेंज</translation>
    </message>
    <message>
        <source>Waiting for HQ…</source>
        <translation>मुख्यालय की प्रतीक्षा…</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>The selected district&apos;s cases (double-click or Enter)</source>
        <translation>चुने गए ज़िले के केस (डबल-क्लिक या Enter)</translation>
    </message>
    <message>
        <source>Consoles…</source>
        <translation>कंसोल…</translation>
    </message>
    <message>
        <source>The selected district&apos;s consoles</source>
        <translation>चुने गए ज़िले के कंसोल</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>रेंज:</translation>
    </message>
    <message>
        <source>Board of every district</source>
        <translation>सभी ज़िलों का बोर्ड</translation>
    </message>
    <message>
        <source>Not signed in to HQ: the board cannot be fetched.</source>
        <translation>मुख्यालय में लॉग इन नहीं: बोर्ड नहीं लाया जा सकता।</translation>
    </message>
    <message>
        <source>HQ as of %1</source>
        <translation>मुख्यालय, %1 तक</translation>
    </message>
    <message>
        <source>%1 districts · %2 waiting · %3 heartbeat alerts · %4 unrouted at HQ</source>
        <translation>%1 ज़िले · %2 प्रतीक्षा में · %3 हार्टबीट चेतावनियाँ · %4 मुख्यालय पर बिना ज़िले के</translation>
    </message>
    <message>
        <source>Board not updated since %1: %2</source>
        <translation>बोर्ड %1 से अद्यतन नहीं: %2</translation>
    </message>
</context>
<context>
    <name>CannedEditor</name>
    <message>
        <source>Canned replies</source>
        <translation>तैयार उत्तर</translation>
    </message>
    <message>
        <source>New reply</source>
        <translation>नया उत्तर</translation>
    </message>
    <message>
        <source>Any complaint</source>
        <translation>कोई भी शिकायत</translation>
    </message>
    <message>
        <source>Retired (no longer offered; kept, never deleted)</source>
        <translation>सेवानिवृत्त (अब नहीं दिखाया जाता; रखा गया है, कभी हटाया नहीं जाता)</translation>
    </message>
    <message>
        <source>Fields filled from the case: %1</source>
        <translation>केस से भरे जाने वाले फ़ील्ड: %1</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>शीर्षक:</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>श्रेणी:</translation>
    </message>
    <message>
        <source>Hindi:</source>
        <translation>हिंदी:</translation>
    </message>
    <message>
        <source>English:</source>
        <translation>अंग्रेज़ी:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>सहेजें</translation>
    </message>
    <message>
        <source> (retired)</source>
        <translation> (सेवानिवृत्त)</translation>
    </message>
    <message>
        <source>Give a title and a Hindi or an English text.</source>
        <translation>शीर्षक और हिंदी या अंग्रेज़ी पाठ दें।</translation>
    </message>
    <message>
        <source>Saved at HQ.</source>
        <translation>मुख्यालय में सहेजा गया।</translation>
    </message>
    <message>
        <source>HQ cannot be reached; nothing was changed. Try again in a moment.</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा; कुछ नहीं बदला गया। थोड़ी देर में फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Sign in to HQ again to edit canned replies.</source>
        <translation>तैयार उत्तर बदलने के लिए मुख्यालय में फिर से साइन इन करें।</translation>
    </message>
    <message>
        <source>HQ refused: %1</source>
        <translation>मुख्यालय ने अस्वीकार किया: %1</translation>
    </message>
</context>
<context>
    <name>ChainView</name>
    <message>
        <source>Alert received</source>
        <translation>अलर्ट प्राप्त</translation>
    </message>
    <message>
        <source>HQ acknowledged</source>
        <translation>मुख्यालय ने स्वीकार किया</translation>
    </message>
    <message>
        <source>Routed to the district</source>
        <translation>ज़िले को भेजा गया</translation>
    </message>
    <message>
        <source>District acknowledged</source>
        <translation>ज़िले ने स्वीकार किया</translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation>टीम भेजी गई</translation>
    </message>
    <message>
        <source>Person reached</source>
        <translation>व्यक्ति तक पहुँचे</translation>
    </message>
    <message>
        <source>Outcome recorded</source>
        <translation>परिणाम दर्ज</translation>
    </message>
    <message>
        <source>Counselled</source>
        <translation>काउंसलिंग हुई</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>फॉलो-अप</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 सेकंड</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 मिनट</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 घं %2 मिनट</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 दिन %2 घं</translation>
    </message>
    <message>
        <source>due</source>
        <translation>देय</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>कार्रवाई की कड़ी</translation>
    </message>
    <message>
        <source>Chain of the response</source>
        <translation>कार्रवाई की कड़ी</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>चरण</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>समय</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>लगा समय</translation>
    </message>
    <message>
        <source>Each step&apos;s time, and how long it took from the step before it.</source>
        <translation>हर चरण का समय, और पिछले चरण से उसमें कितना समय लगा।</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>अभी नहीं</translation>
    </message>
    <message>
        <source>This time is before the alert was received: a clock or an entry is wrong.</source>
        <translation>यह समय अलर्ट प्राप्त होने से पहले का है: कोई घड़ी या प्रविष्टि गलत है।</translation>
    </message>
</context>
<context>
    <name>Claims</name>
    <message>
        <source>added the account to the register</source>
        <translation>ने खाता रजिस्टर में जोड़ा</translation>
    </message>
    <message>
        <source>recorded an action: {action}</source>
        <translation>ने कार्रवाई दर्ज की: {action}</translation>
    </message>
    <message>
        <source>linked {links}</source>
        <translation>ने जोड़ा: {links}</translation>
    </message>
    <message>
        <source>changed {fields}</source>
        <translation>ने बदला: {fields}</translation>
    </message>
    <message>
        <source>Suspicious accounts</source>
        <translation>संदिग्ध खाते</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>कारण:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>कार्रवाई:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>स्थिति:</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>प्लेटफ़ॉर्म:</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>कोई भी</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>Handle</source>
        <translation>हैंडल</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>कारण</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Actions taken</source>
        <translation>की गई कार्रवाई</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>Seen again</source>
        <translation>फिर दिखा</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>खाता:</translation>
    </message>
    <message>
        <source>Link:</source>
        <translation>लिंक:</translation>
    </message>
    <message>
        <source>Reasons:</source>
        <translation>कारण:</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>टिप्पणी:</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>कार्रवाई</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>संदर्भ</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>तारीख़</translation>
    </message>
    <message>
        <source>Linked</source>
        <translation>जुड़ा</translation>
    </message>
    <message>
        <source>When (UTC)</source>
        <translation>कब (UTC)</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>बदलाव</translation>
    </message>
    <message>
        <source>Linked posts, claims and cases</source>
        <translation>जुड़ी पोस्ट, दावे और केस</translation>
    </message>
    <message>
        <source>History</source>
        <translation>इतिहास</translation>
    </message>
    <message>
        <source>Accounts shown: {n}</source>
        <translation>दिखाए गए खाते: {n}</translation>
    </message>
    <message>
        <source>Misinformation claims</source>
        <translation>भ्रामक दावे</translation>
    </message>
    <message>
        <source>Claims and the register are kept at HQ; this console has no HQ.</source>
        <translation>दावे और रजिस्टर मुख्यालय में रखे जाते हैं; यह कंसोल मुख्यालय से नहीं जुड़ा है।</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>जाँच जारी</translation>
    </message>
    <message>
        <source>Rebutted</source>
        <translation>खंडन हुआ</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>बंद</translation>
    </message>
    <message>
        <source>To decide</source>
        <translation>निर्णय बाकी</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>पुष्टि हुई</translation>
    </message>
    <message>
        <source>Dismissed</source>
        <translation>खारिज</translation>
    </message>
    <message>
        <source>Similar text</source>
        <translation>मिलता-जुलता पाठ</translation>
    </message>
    <message>
        <source>Same image</source>
        <translation>वही तस्वीर</translation>
    </message>
    <message>
        <source>Incitement</source>
        <translation>भड़काना</translation>
    </message>
    <message>
        <source>Communal content</source>
        <translation>सांप्रदायिक सामग्री</translation>
    </message>
    <message>
        <source>Fake news</source>
        <translation>फ़र्ज़ी ख़बर</translation>
    </message>
    <message>
        <source>Impersonation</source>
        <translation>प्रतिरूपण</translation>
    </message>
    <message>
        <source>Fraud</source>
        <translation>धोखाधड़ी</translation>
    </message>
    <message>
        <source>Reported to the platform</source>
        <translation>प्लेटफ़ॉर्म को रिपोर्ट किया</translation>
    </message>
    <message>
        <source>Notice served</source>
        <translation>नोटिस तामील</translation>
    </message>
    <message>
        <source>FIR registered</source>
        <translation>एफ़आईआर दर्ज</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>निगरानी में</translation>
    </message>
    <message>
        <source>Action taken</source>
        <translation>कार्रवाई हुई</translation>
    </message>
    <message>
        <source>Removed by the platform</source>
        <translation>प्लेटफ़ॉर्म ने हटाया</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>पोस्ट</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>दावा</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Sign in to HQ again to see this.</source>
        <translation>इसे देखने के लिए मुख्यालय में फिर से साइन इन करें।</translation>
    </message>
    <message>
        <source>HQ cannot be reached; the list is as it was last loaded.</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा; सूची पिछली बार जैसी लोड हुई थी वैसी है।</translation>
    </message>
    <message>
        <source>HQ refused: {reason}</source>
        <translation>मुख्यालय ने मना किया: {reason}</translation>
    </message>
    <message>
        <source>Could not load: {reason}</source>
        <translation>लोड नहीं हो सका: {reason}</translation>
    </message>
</context>
<context>
    <name>ClaimsView</name>
    <message>
        <source>Misinformation claims</source>
        <translation>भ्रामक दावे</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>सभी स्थितियाँ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>स्थिति:</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>दावा</translation>
    </message>
    <message>
        <source>Districts</source>
        <translation>ज़िले</translation>
    </message>
    <message>
        <source>Rebuttals</source>
        <translation>खंडन</translation>
    </message>
    <message>
        <source>To decide</source>
        <translation>निर्णय बाकी</translation>
    </message>
    <message>
        <source>Confirmed posts</source>
        <translation>पुष्ट पोस्ट</translation>
    </message>
    <message>
        <source>Recorded (UTC)</source>
        <translation>दर्ज (UTC)</translation>
    </message>
    <message>
        <source>Rumour:</source>
        <translation>अफ़वाह:</translation>
    </message>
    <message>
        <source>Official version:</source>
        <translation>आधिकारिक तथ्य:</translation>
    </message>
    <message>
        <source>Spread:</source>
        <translation>फैलाव:</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>Published (UTC)</source>
        <translation>प्रकाशित (UTC)</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>लिंक</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>पोस्ट</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>मिलान</translation>
    </message>
    <message>
        <source>Likeness</source>
        <translation>समानता</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>निर्णय</translation>
    </message>
    <message>
        <source>Confirm: same rumour</source>
        <translation>पुष्टि करें: वही अफ़वाह</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>खारिज करें</translation>
    </message>
    <message>
        <source>When (UTC)</source>
        <translation>कब (UTC)</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>बदलाव</translation>
    </message>
    <message>
        <source>Rebuttals published</source>
        <translation>प्रकाशित खंडन</translation>
    </message>
    <message>
        <source>Posts suggested as the same rumour</source>
        <translation>वही अफ़वाह होने के सुझाव वाली पोस्ट</translation>
    </message>
    <message>
        <source>History</source>
        <translation>इतिहास</translation>
    </message>
    <message numerus="yes">
        <source>%n claim(s)</source>
        <translation>
            <numerusform>%n दावा</numerusform>
            <numerusform>%n दावे</numerusform>
        </translation>
    </message>
    <message>
        <source>(not written yet)</source>
        <translation>(अभी लिखा नहीं गया)</translation>
    </message>
    <message>
        <source>{platforms}; districts: {districts}</source>
        <translation>{platforms}; ज़िले: {districts}</translation>
    </message>
    <message>
        <source>recorded the claim</source>
        <translation>ने दावा दर्ज किया</translation>
    </message>
    <message>
        <source>added a rebuttal on {platform}</source>
        <translation>ने {platform} पर खंडन जोड़ा</translation>
    </message>
    <message>
        <source>{decision} a suggested post</source>
        <translation>ने सुझाई गई पोस्ट पर निर्णय दिया: {decision}</translation>
    </message>
    <message>
        <source>changed the status to {status}</source>
        <translation>ने स्थिति बदलकर {status} की</translation>
    </message>
    <message>
        <source>changed {fields}</source>
        <translation>ने बदला: {fields}</translation>
    </message>
</context>
<context>
    <name>ComplaintModel</name>
    <message>
        <source>State</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>समय-सीमा</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>लेखक</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>पाठ</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>श्रेणी</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>उत्तर</translation>
    </message>
    <message>
        <source>no deadline open</source>
        <translation>कोई समय-सीमा खुली नहीं</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 शेष</translation>
    </message>
    <message>
        <source>breached %1 ago</source>
        <translation>समय-सीमा %1 पहले पार</translation>
    </message>
    <message>
        <source>Not routed</source>
        <translation>ज़िला तय नहीं</translation>
    </message>
</context>
<context>
    <name>ComplaintPane</name>
    <message>
        <source>Post:</source>
        <translation>पोस्ट:</translation>
    </message>
    <message>
        <source>In reply to:</source>
        <translation>किसके उत्तर में:</translation>
    </message>
    <message>
        <source>Links:</source>
        <translation>लिंक:</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>समय-सीमा</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>नियत समय</translation>
    </message>
    <message>
        <source>State</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>उत्तर</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>प्रयास</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>अंतिम त्रुटि</translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation>अगला प्रयास</translation>
    </message>
    <message>
        <source>Approve the selected reply</source>
        <translation>चुना गया उत्तर स्वीकृत करें</translation>
    </message>
    <message>
        <source>Discard the refused reply</source>
        <translation>अस्वीकृत उत्तर हटाएँ</translation>
    </message>
    <message>
        <source>Open as a case</source>
        <translation>केस के रूप में खोलें</translation>
    </message>
    <message>
        <source>Show this complaint in the Cases tab, with the actions this console may record</source>
        <translation>इस शिकायत को केस टैब में दिखाएँ, उन कार्रवाइयों के साथ जो यह कंसोल दर्ज कर सकता है</translation>
    </message>
    <message>
        <source>Replies to citizens are written and published at HQ; this console shows them and their deadlines.</source>
        <translation>नागरिकों को जवाब मुख्यालय में लिखे और प्रकाशित किए जाते हैं; यह कंसोल उन्हें और उनकी समय-सीमाएँ दिखाता है।</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>उत्तर</translation>
    </message>
    <message>
        <source>Open a complaint in the list to see it and reply.</source>
        <translation>देखने और उत्तर देने के लिए सूची में कोई शिकायत खोलें।</translation>
    </message>
    <message>
        <source>%1 on %2 · %3 · %4</source>
        <translation>%1, %2 पर · %3 · %4</translation>
    </message>
    <message>
        <source>(no handle)</source>
        <translation>(हैंडल नहीं)</translation>
    </message>
    <message>
        <source>Not routed</source>
        <translation>ज़िला तय नहीं</translation>
    </message>
    <message>
        <source>the post</source>
        <translation>पोस्ट</translation>
    </message>
    <message>
        <source>the author</source>
        <translation>लेखक</translation>
    </message>
    <message>
        <source>the thread</source>
        <translation>थ्रेड</translation>
    </message>
    <message>
        <source>HQ refused: %1</source>
        <translation>मुख्यालय ने अस्वीकार किया: %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 शेष</translation>
    </message>
    <message>
        <source>%1 late</source>
        <translation>%1 देर</translation>
    </message>
    <message>
        <source>Asking HQ…</source>
        <translation>मुख्यालय से पूछ रहे हैं…</translation>
    </message>
</context>
<context>
    <name>ComplaintQueueView</name>
    <message>
        <source>All platforms</source>
        <translation>सभी प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>सभी श्रेणियाँ</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>सभी ज़िले</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>कोई भी स्थिति</translation>
    </message>
    <message>
        <source>Search text or handle</source>
        <translation>पाठ या हैंडल खोजें</translation>
    </message>
    <message>
        <source>Complaints (%1 breached)</source>
        <translation>शिकायतें (%1 समय-सीमा पार)</translation>
    </message>
    <message>
        <source>Complaints (%1 warning)</source>
        <translation>शिकायतें (%1 चेतावनी)</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>शिकायतें</translation>
    </message>
    <message>
        <source>%1 of %2 open complaints shown</source>
        <translation>%2 खुली शिकायतों में से %1 दिखाई गईं</translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s) past the deadline: answer now</source>
        <translation>
            <numerusform>%n शिकायत समय-सीमा पार: अभी उत्तर दें</numerusform>
            <numerusform>%n शिकायतें समय-सीमा पार: अभी उत्तर दें</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s) in the last %1 minutes before the deadline</source>
        <translation>
            <numerusform>%n शिकायत समय-सीमा से पहले के अंतिम %1 मिनट में</numerusform>
            <numerusform>%n शिकायतें समय-सीमा से पहले के अंतिम %1 मिनट में</numerusform>
        </translation>
    </message>
    <message>
        <source>HQ cannot be reached: the reply is kept on this console and sent when HQ answers.</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा: उत्तर इसी कंसोल पर रखा है और मुख्यालय के जवाब देते ही भेजा जाएगा।</translation>
    </message>
    <message>
        <source>Sending to HQ…</source>
        <translation>मुख्यालय को भेजा जा रहा है…</translation>
    </message>
    <message>
        <source>HQ has the reply (%1).</source>
        <translation>उत्तर मुख्यालय को मिल गया (%1)।</translation>
    </message>
    <message>
        <source>published</source>
        <translation>प्रकाशित</translation>
    </message>
    <message>
        <source>to be published</source>
        <translation>प्रकाशित होना है</translation>
    </message>
    <message>
        <source>Approved: HQ publishes the reply.</source>
        <translation>स्वीकृत: मुख्यालय उत्तर प्रकाशित करेगा।</translation>
    </message>
    <message>
        <source>HQ cannot be reached; the reply is not approved yet.</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा; उत्तर अभी स्वीकृत नहीं हुआ।</translation>
    </message>
    <message>
        <source>HQ refused: %1</source>
        <translation>मुख्यालय ने अस्वीकार किया: %1</translation>
    </message>
</context>
<context>
    <name>ComplianceTab</name>
    <message>
        <source>Missed deadlines</source>
        <translation>चूकी समय-सीमाएँ</translation>
    </message>
    <message>
        <source>Missed deadlines (double-click or Enter opens the case)</source>
        <translation>चूकी समय-सीमाएँ (डबल-क्लिक या Enter से केस खुलता है)</translation>
    </message>
    <message>
        <source>Complaints: compliance</source>
        <translation>शिकायतें: अनुपालन</translation>
    </message>
    <message>
        <source>First responses within the deadline, per district (%)</source>
        <translation>समय-सीमा में पहले जवाब, ज़िलेवार (%)</translation>
    </message>
    <message>
        <source>(not routed)</source>
        <translation>(किसी ज़िले को नहीं भेजा गया)</translation>
    </message>
    <message>
        <source>Compliance %</source>
        <translation>अनुपालन %</translation>
    </message>
    <message>
        <source>No first response was due in this period</source>
        <translation>इस अवधि में कोई पहला जवाब देय नहीं था</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>लोड हो रहा है…</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Use this reply</source>
        <translation>यह उत्तर लें</translation>
    </message>
    <message>
        <source>Edit canned replies…</source>
        <translation>तैयार उत्तर बदलें…</translation>
    </message>
    <message>
        <source>Canned reply:</source>
        <translation>तैयार उत्तर:</translation>
    </message>
    <message>
        <source>Write the reply to the citizen here.</source>
        <translation>नागरिक के लिए उत्तर यहाँ लिखें।</translation>
    </message>
    <message>
        <source>Needs a second pair of eyes</source>
        <translation>दूसरी नज़र चाहिए</translation>
    </message>
    <message>
        <source>A supervisor approves it before it is published.</source>
        <translation>प्रकाशन से पहले पर्यवेक्षक इसे स्वीकृत करेंगे।</translation>
    </message>
    <message>
        <source>Needs a second pair of eyes (a supervisor approves it before it is published)</source>
        <translation type="vanished">दूसरी नज़र चाहिए (प्रकाशन से पहले पर्यवेक्षक स्वीकृत करेंगे)</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>उत्तर भेजें</translation>
    </message>
    <message>
        <source>%1 / %2 characters: too long for this platform</source>
        <translation>%1 / %2 अक्षर: इस प्लेटफ़ॉर्म के लिए बहुत लंबा</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 अक्षर</translation>
    </message>
    <message>
        <source>Still to fill in: %1</source>
        <translation>अभी भरना बाकी: %1</translation>
    </message>
</context>
<context>
    <name>ConsoleHealthTab</name>
    <message>
        <source>Console health</source>
        <translation>कंसोल की स्थिति</translation>
    </message>
</context>
<context>
    <name>Consoles</name>
    <message>
        <source>not reported</source>
        <translation>सूचना नहीं</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>हाँ</translation>
    </message>
    <message>
        <source>NO</source>
        <translation>नहीं</translation>
    </message>
    <message>
        <source>heard</source>
        <translation>सुना गया</translation>
    </message>
    <message>
        <source>NOT heard</source>
        <translation>नहीं सुना गया</translation>
    </message>
    <message>
        <source>online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>ऑफ़लाइन</translation>
    </message>
</context>
<context>
    <name>ConsolesDialog</name>
    <message>
        <source>Consoles of %1</source>
        <translation>%1 के कंसोल</translation>
    </message>
    <message>
        <source>%1: %2 of %3 online, %4 can sound</source>
        <translation>%1: %3 में से %2 ऑनलाइन, %4 का अलार्म बज सकता है</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>कंसोल</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>ऑपरेटर</translation>
    </message>
    <message>
        <source>State</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>अंतिम हार्टबीट</translation>
    </message>
    <message>
        <source>Can sound</source>
        <translation>अलार्म बज सकता है</translation>
    </message>
    <message>
        <source>Test alarm</source>
        <translation>परीक्षण अलार्म</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>आउटबॉक्स</translation>
    </message>
    <message>
        <source>Audio check</source>
        <translation>ऑडियो जाँच</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>संस्करण</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>स्वीकार करें (Ctrl+K)</translation>
    </message>
    <message>
        <source>Route / reassign</source>
        <translation>ज़िले को भेजें / बदलें</translation>
    </message>
    <message>
        <source>Trace location</source>
        <translation>स्थान ट्रेस करें</translation>
    </message>
    <message>
        <source>Dispatch (Ctrl+D)</source>
        <translation>टीम भेजें (Ctrl+D)</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>अग्रेषित करें</translation>
    </message>
    <message>
        <source>En route</source>
        <translation>रास्ते में</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>पहुँच गए</translation>
    </message>
    <message>
        <source>Outcome (Ctrl+O)</source>
        <translation>परिणाम (Ctrl+O)</translation>
    </message>
    <message>
        <source>Counselling note (Ctrl+N)</source>
        <translation>काउंसलिंग नोट (Ctrl+N)</translation>
    </message>
    <message>
        <source>Schedule follow-up</source>
        <translation>फॉलो-अप तय करें</translation>
    </message>
    <message>
        <source>Complete follow-up</source>
        <translation>फॉलो-अप पूरा करें</translation>
    </message>
    <message>
        <source>Raise to suicide risk</source>
        <translation>आत्महत्या जोखिम घोषित करें</translation>
    </message>
    <message>
        <source>Close case</source>
        <translation>केस बंद करें</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>फिर से खोलें</translation>
    </message>
    <message>
        <source>Correct an entry</source>
        <translation>प्रविष्टि सुधारें</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>व्यक्ति</translation>
    </message>
    <message>
        <source>Post text</source>
        <translation>पोस्ट का पाठ</translation>
    </message>
    <message>
        <source>Probable location (from the alert)</source>
        <translation>संभावित स्थान (अलर्ट से)</translation>
    </message>
    <message>
        <source>Traced location</source>
        <translation>ट्रेस किया गया स्थान</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>समय-रेखा</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>समय</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>प्रविष्टि</translation>
    </message>
    <message>
        <source>By</source>
        <translation>द्वारा</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>सिंक</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>व्यक्ति</translation>
    </message>
    <message>
        <source>Select a case in the queue.</source>
        <translation>कतार में से एक केस चुनें।</translation>
    </message>
    <message>
        <source>This case&apos;s details have not reached this workstation yet.</source>
        <translation>इस केस का विवरण अभी इस वर्कस्टेशन तक नहीं पहुँचा है।</translation>
    </message>
    <message>
        <source>Priority %1</source>
        <translation>प्राथमिकता %1</translation>
    </message>
    <message>
        <source>received %1</source>
        <translation>प्राप्त %1</translation>
    </message>
    <message>
        <source>acknowledged by %1</source>
        <translation>%1 द्वारा स्वीकार</translation>
    </message>
    <message>
        <source>(name not known)</source>
        <translation>(नाम ज्ञात नहीं)</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>प्रोफ़ाइल</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>पोस्ट</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>तस्वीर</translation>
    </message>
    <message>
        <source>Dispatched: %1</source>
        <translation>भेजी गई टीम: %1</translation>
    </message>
    <message>
        <source>Forwarded: %1 (ref %2)</source>
        <translation>अग्रेषित: %1 (संदर्भ %2)</translation>
    </message>
    <message>
        <source>Reached: %1 %2</source>
        <translation>पहुँचे: %1 %2</translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation>परिणाम: %1</translation>
    </message>
    <message>
        <source>Counselled by %1 %2</source>
        <translation>काउंसलिंग: %1 %2</translation>
    </message>
    <message>
        <source>Referral: %1</source>
        <translation>रेफ़रल: %1</translation>
    </message>
    <message>
        <source>Follow-up due %1</source>
        <translation>फॉलो-अप देय %1</translation>
    </message>
    <message>
        <source>Double-click or press Enter to read the whole entry.</source>
        <translation>पूरी प्रविष्टि पढ़ने के लिए डबल-क्लिक करें या Enter दबाएँ।</translation>
    </message>
    <message>
        <source>%1 by %2 at %3</source>
        <translation>%1 — %2, %3</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>टिप्पणी: %1</translation>
    </message>
    <message>
        <source>En route since %1</source>
        <translation>%1 से रास्ते में</translation>
    </message>
    <message>
        <source>En route since %1, expected in %2 min (by %3)</source>
        <translation>%1 से रास्ते में, %2 मिनट में पहुँचने की उम्मीद (%3 तक)</translation>
    </message>
    <message>
        <source>Phone number %1</source>
        <translation>फ़ोन नंबर %1</translation>
    </message>
    <message>
        <source>Reveal (audited)</source>
        <translation>दिखाएँ (ऑडिट होगा)</translation>
    </message>
    <message>
        <source>Reveal phone number %1</source>
        <translation>फ़ोन नंबर %1 दिखाएँ</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>फ़ोन</translation>
    </message>
</context>
<context>
    <name>DistrictLayout</name>
    <message>
        <source>Cases</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>शिकायतें</translation>
    </message>
    <message>
        <source>Complaints (%1 breached)</source>
        <translation type="vanished">शिकायतें (%1 समय-सीमा पार)</translation>
    </message>
    <message>
        <source>Complaints (%1 warning)</source>
        <translation type="vanished">शिकायतें (%1 चेतावनी)</translation>
    </message>
</context>
<context>
    <name>FollowUpsTab</name>
    <message>
        <source>Follow-ups</source>
        <translation>फ़ॉलो-अप</translation>
    </message>
</context>
<context>
    <name>FormMessages</name>
    <message>
        <source>%1 must be between %2 and %3.</source>
        <translation>%1 का मान %2 और %3 के बीच होना चाहिए।</translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3.</source>
        <translation>%1 का मान %2 से %3 तक की पूर्ण संख्या होना चाहिए।</translation>
    </message>
    <message>
        <source>%1 is too long: at most %2 characters.</source>
        <translation>%1 बहुत लंबा है: अधिकतम %2 अक्षर।</translation>
    </message>
    <message>
        <source>Please fill in: %1</source>
        <translation>कृपया भरें: %1</translation>
    </message>
    <message>
        <source>%1 must be a number.</source>
        <translation>%1 एक संख्या होनी चाहिए।</translation>
    </message>
    <message>
        <source>%1: choose one of the values offered.</source>
        <translation>%1: दिए गए विकल्पों में से एक चुनें।</translation>
    </message>
    <message>
        <source>%1 is not a valid date and time.</source>
        <translation>%1 मान्य तिथि और समय नहीं है।</translation>
    </message>
    <message>
        <source>this case already exists.</source>
        <translation>यह केस पहले से मौजूद है।</translation>
    </message>
    <message>
        <source>this case has not fully reached this workstation yet; try again after the next sync.</source>
        <translation>यह केस अभी पूरी तरह इस वर्कस्टेशन तक नहीं पहुँचा है; अगले सिंक के बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>the case is closed; reopen it first.</source>
        <translation>केस बंद है; पहले इसे दोबारा खोलें।</translation>
    </message>
    <message>
        <source>acknowledge the case first.</source>
        <translation>पहले केस स्वीकार करें।</translation>
    </message>
    <message>
        <source>record the dispatch first.</source>
        <translation>पहले टीम भेजना दर्ज करें।</translation>
    </message>
    <message>
        <source>the case is not closed.</source>
        <translation>केस बंद नहीं है।</translation>
    </message>
    <message>
        <source>record the outcome before closing.</source>
        <translation>बंद करने से पहले परिणाम दर्ज करें।</translation>
    </message>
    <message>
        <source>say why the person was not reached.</source>
        <translation>बताएँ कि व्यक्ति तक क्यों नहीं पहुँचा जा सका।</translation>
    </message>
    <message>
        <source>say why this was a false alarm.</source>
        <translation>बताएँ कि यह झूठा अलार्म क्यों था।</translation>
    </message>
    <message>
        <source>that follow-up is no longer open.</source>
        <translation>वह फॉलो-अप अब खुला नहीं है।</translation>
    </message>
    <message>
        <source>this case is not ringing any more.</source>
        <translation>इस केस का अलार्म अब नहीं बज रहा है।</translation>
    </message>
    <message>
        <source>a mute must end in the future.</source>
        <translation>मौन का समय भविष्य में समाप्त होना चाहिए।</translation>
    </message>
    <message>
        <source>the case is already assigned there.</source>
        <translation>केस पहले से वहीं सौंपा गया है।</translation>
    </message>
    <message>
        <source>the entry to correct is not in this case.</source>
        <translation>सुधारी जाने वाली प्रविष्टि इस केस में नहीं है।</translation>
    </message>
    <message>
        <source>this account does not record this; HQ&apos;s operators do.</source>
        <translation>यह खाता इसे दर्ज नहीं करता; यह मुख्यालय के ऑपरेटर करते हैं।</translation>
    </message>
    <message>
        <source>only a tip takes an officer, action notes and a tip outcome.</source>
        <translation>अधिकारी, कार्रवाई और परिणाम केवल सूचना पर दर्ज होते हैं।</translation>
    </message>
    <message>
        <source>the tip is already with this officer.</source>
        <translation>सूचना पहले से इसी अधिकारी के पास है।</translation>
    </message>
    <message>
        <source>already acknowledged by %1.</source>
        <translation>%1 द्वारा पहले ही स्वीकार किया जा चुका है।</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>सहेजा नहीं गया: %1</translation>
    </message>
    <message>
        <source>Not saved: %1 is not accepted (%2).</source>
        <translation>सहेजा नहीं गया: %1 स्वीकार्य नहीं है (%2)।</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>Facebook</source>
        <translation>फ़ेसबुक</translation>
    </message>
    <message>
        <source>Instagram</source>
        <translation>इंस्टाग्राम</translation>
    </message>
    <message>
        <source>X (Twitter)</source>
        <translation>X (ट्विटर)</translation>
    </message>
    <message>
        <source>WhatsApp tip line</source>
        <translation>व्हाट्सऐप टिप लाइन</translation>
    </message>
    <message>
        <source>Phone call / by hand</source>
        <translation>फ़ोन कॉल / हाथ से दर्ज</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
    <message>
        <source>1 — immediate danger</source>
        <translation>1 — तत्काल ख़तरा</translation>
    </message>
    <message>
        <source>2 — high</source>
        <translation>2 — उच्च</translation>
    </message>
    <message>
        <source>3 — normal</source>
        <translation>3 — सामान्य</translation>
    </message>
    <message>
        <source>4 — low</source>
        <translation>4 — निम्न</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>type part of the name</source>
        <translation>नाम का कोई भाग लिखें</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <source>type part of the name (optional)</source>
        <translation>नाम का कोई भाग लिखें (वैकल्पिक)</translation>
    </message>
    <message>
        <source>New alert (manual intake)</source>
        <translation>नया अलर्ट (हाथ से दर्ज)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>स्रोत</translation>
    </message>
    <message>
        <source>Upstream reference</source>
        <translation>मूल संदर्भ संख्या</translation>
    </message>
    <message>
        <source>Meta&apos;s case number, or the caller&apos;s reference</source>
        <translation>मेटा की केस संख्या, या कॉल करने वाले का संदर्भ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>प्राथमिकता</translation>
    </message>
    <message>
        <source>Alert received</source>
        <translation>अलर्ट प्राप्त</translation>
    </message>
    <message>
        <source>Person&apos;s name</source>
        <translation>व्यक्ति का नाम</translation>
    </message>
    <message>
        <source>Phone numbers</source>
        <translation>फ़ोन नंबर</translation>
    </message>
    <message>
        <source>separate several with commas</source>
        <translation>कई हों तो अल्पविराम से अलग करें</translation>
    </message>
    <message>
        <source>Profile link</source>
        <translation>प्रोफ़ाइल लिंक</translation>
    </message>
    <message>
        <source>Post link</source>
        <translation>पोस्ट लिंक</translation>
    </message>
    <message>
        <source>Picture link</source>
        <translation>तस्वीर लिंक</translation>
    </message>
    <message>
        <source>Post text (any script)</source>
        <translation>पोस्ट का पाठ (किसी भी लिपि में)</translation>
    </message>
    <message>
        <source>Probable location</source>
        <translation>संभावित स्थान</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>सारांश</translation>
    </message>
    <message>
        <source>Save and sound the alarm</source>
        <translation>सहेजें और अलार्म बजाएँ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>टिप्पणी</translation>
    </message>
    <message>
        <source>Acknowledge case</source>
        <translation>केस स्वीकार करें</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>स्वीकार करें</translation>
    </message>
    <message>
        <source>Route to a district / police station</source>
        <translation>ज़िले / थाने को भेजें</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>भेजें</translation>
    </message>
    <message>
        <source>Record traced location</source>
        <translation>ट्रेस किया गया स्थान दर्ज करें</translation>
    </message>
    <message>
        <source>Place / address</source>
        <translation>स्थान / पता</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>अक्षांश</translation>
    </message>
    <message>
        <source>decimal degrees, e.g. 26.8467</source>
        <translation>दशमलव डिग्री, जैसे 26.8467</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>देशांतर</translation>
    </message>
    <message>
        <source>decimal degrees, e.g. 80.9462</source>
        <translation>दशमलव डिग्री, जैसे 80.9462</translation>
    </message>
    <message>
        <source>Accuracy (metres)</source>
        <translation>सटीकता (मीटर)</translation>
    </message>
    <message>
        <source>metres, e.g. 500</source>
        <translation>मीटर, जैसे 500</translation>
    </message>
    <message>
        <source>How it was traced</source>
        <translation>कैसे ट्रेस किया</translation>
    </message>
    <message>
        <source>Save location</source>
        <translation>स्थान सहेजें</translation>
    </message>
    <message>
        <source>Dispatch a team</source>
        <translation>टीम भेजें</translation>
    </message>
    <message>
        <source>Officer in charge</source>
        <translation>प्रभारी अधिकारी</translation>
    </message>
    <message>
        <source>Officer&apos;s phone</source>
        <translation>अधिकारी का फ़ोन</translation>
    </message>
    <message>
        <source>Team / vehicle</source>
        <translation>टीम / वाहन</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>भेजें</translation>
    </message>
    <message>
        <source>Forward the case</source>
        <translation>केस अग्रेषित करें</translation>
    </message>
    <message>
        <source>Forward to</source>
        <translation>किसे अग्रेषित करें</translation>
    </message>
    <message>
        <source>Their reference number</source>
        <translation>उनका संदर्भ नंबर</translation>
    </message>
    <message>
        <source>Agency / service name</source>
        <translation>एजेंसी / सेवा का नाम</translation>
    </message>
    <message>
        <source>State</source>
        <translation>राज्य</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>अग्रेषित करें</translation>
    </message>
    <message>
        <source>Team en route</source>
        <translation>टीम रास्ते में</translation>
    </message>
    <message>
        <source>Expected in (minutes)</source>
        <translation>अनुमानित समय (मिनट)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>सहेजें</translation>
    </message>
    <message>
        <source>Team reached the person</source>
        <translation>टीम व्यक्ति तक पहुँची</translation>
    </message>
    <message>
        <source>Time reached</source>
        <translation>पहुँचने का समय</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>स्थान</translation>
    </message>
    <message>
        <source>Field outcome</source>
        <translation>मौके का परिणाम</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Why not reached</source>
        <translation>क्यों नहीं पहुँचे</translation>
    </message>
    <message>
        <source>Why a false alarm</source>
        <translation>झूठा अलार्म क्यों</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>क्या हुआ</translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation>परिणाम दर्ज करें</translation>
    </message>
    <message>
        <source>Counselling note</source>
        <translation>काउंसलिंग नोट</translation>
    </message>
    <message>
        <source>Gazetted officer&apos;s name</source>
        <translation>राजपत्रित अधिकारी का नाम</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>पद</translation>
    </message>
    <message>
        <source>Family contacted</source>
        <translation>परिवार से संपर्क हुआ</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>रेफ़रल</translation>
    </message>
    <message>
        <source>none — choose or type (optional)</source>
        <translation>कोई नहीं — चुनें या लिखें (वैकल्पिक)</translation>
    </message>
    <message>
        <source>Follow-up on</source>
        <translation>फॉलो-अप तिथि</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>नोट सहेजें</translation>
    </message>
    <message>
        <source>Schedule a follow-up</source>
        <translation>फॉलो-अप तय करें</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>देय तिथि</translation>
    </message>
    <message>
        <source>What to check</source>
        <translation>क्या जाँचना है</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>तय करें</translation>
    </message>
    <message>
        <source>Complete a follow-up</source>
        <translation>फॉलो-अप पूरा करें</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>फॉलो-अप</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>क्या पाया गया</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>पूरा चिह्नित करें</translation>
    </message>
    <message>
        <source>Raise to suicide risk</source>
        <translation>आत्महत्या जोखिम घोषित करें</translation>
    </message>
    <message>
        <source>Why: what in the text or the call shows a risk to life</source>
        <translation>कारण: पाठ या कॉल में क्या जान के खतरे को दिखाता है</translation>
    </message>
    <message>
        <source>Raise and sound the alarm</source>
        <translation>घोषित करें और अलार्म बजाएँ</translation>
    </message>
    <message>
        <source>Close the case</source>
        <translation>केस बंद करें</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>कारण</translation>
    </message>
    <message>
        <source>Close case</source>
        <translation>केस बंद करें</translation>
    </message>
    <message>
        <source>Reopen the case</source>
        <translation>केस फिर से खोलें</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>फिर से खोलें</translation>
    </message>
    <message>
        <source>Correct an earlier entry</source>
        <translation>पिछली प्रविष्टि सुधारें</translation>
    </message>
    <message>
        <source>Entry to correct</source>
        <translation>सुधारने वाली प्रविष्टि</translation>
    </message>
    <message>
        <source>Why the correction</source>
        <translation>सुधार का कारण</translation>
    </message>
    <message>
        <source>Save correction</source>
        <translation>सुधार सहेजें</translation>
    </message>
</context>
<context>
    <name>HQLayout</name>
    <message>
        <source>All districts</source>
        <translation>सभी ज़िले</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>बोर्ड</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Escalation policies</source>
        <translation>एस्केलेशन नीतियाँ</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>शिकायतें</translation>
    </message>
    <message>
        <source>Complaints (%1 breached)</source>
        <translation type="vanished">शिकायतें (%1 समय-सीमा पार)</translation>
    </message>
    <message>
        <source>Complaints (%1 warning)</source>
        <translation type="vanished">शिकायतें (%1 चेतावनी)</translation>
    </message>
    <message>
        <source>Cases of %1 only</source>
        <translation>केवल %1 के केस</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <source>Open the existing case</source>
        <translation>मौजूदा केस खोलें</translation>
    </message>
    <message>
        <source>received %1</source>
        <translation>प्राप्त %1</translation>
    </message>
    <message>
        <source>This alert is already a case: %1. Open it instead of entering it again.</source>
        <translation>यह अलर्ट पहले से एक केस है: %1। इसे दोबारा दर्ज करने के बजाय वही खोलें।</translation>
    </message>
    <message>
        <source>Not saved: this alert is already a case on this workstation. Open it instead.</source>
        <translation>सहेजा नहीं गया: यह अलर्ट इस वर्कस्टेशन पर पहले से एक केस है। उसे खोलें।</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New</source>
        <translation>नया</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>स्वीकृत</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>टीम भेजी गई</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>अग्रेषित</translation>
    </message>
    <message>
        <source>En route</source>
        <translation>रास्ते में</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>पहुँच गए</translation>
    </message>
    <message>
        <source>Outcome recorded</source>
        <translation>परिणाम दर्ज</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>बंद</translation>
    </message>
    <message>
        <source>Suicide risk</source>
        <translation>आत्महत्या जोखिम</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>सूचना</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>शिकायत</translation>
    </message>
    <message>
        <source>Safe, counselled</source>
        <translation>सुरक्षित, काउंसलिंग हुई</translation>
    </message>
    <message>
        <source>Handed to family</source>
        <translation>परिवार को सौंपा</translation>
    </message>
    <message>
        <source>Hospitalised</source>
        <translation>अस्पताल में भर्ती</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>नहीं पहुँच सके</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>झूठा अलार्म</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>मृत्यु</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
    <message>
        <source>Location could not be traced</source>
        <translation>स्थान ट्रेस नहीं हो सका</translation>
    </message>
    <message>
        <source>Phone switched off</source>
        <translation>फ़ोन बंद</translation>
    </message>
    <message>
        <source>Person is in another state</source>
        <translation>व्यक्ति दूसरे राज्य में है</translation>
    </message>
    <message>
        <source>Old post</source>
        <translation>पुरानी पोस्ट</translation>
    </message>
    <message>
        <source>Prank</source>
        <translation>मज़ाक</translation>
    </message>
    <message>
        <source>Wrong person</source>
        <translation>गलत व्यक्ति</translation>
    </message>
    <message>
        <source>112 emergency response (ERSS)</source>
        <translation>112 आपातकालीन सेवा (ERSS)</translation>
    </message>
    <message>
        <source>Another state&apos;s police</source>
        <translation>दूसरे राज्य की पुलिस</translation>
    </message>
    <message>
        <source>Counselling service</source>
        <translation>काउंसलिंग सेवा</translation>
    </message>
    <message>
        <source>Phone tower (CDR)</source>
        <translation>फ़ोन टावर (CDR)</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>फ़ोन कॉल</translation>
    </message>
    <message>
        <source>Platform data</source>
        <translation>प्लेटफ़ॉर्म डेटा</translation>
    </message>
    <message>
        <source>Field team</source>
        <translation>फ़ील्ड टीम</translation>
    </message>
    <message>
        <source>Tip received</source>
        <translation>सूचना प्राप्त</translation>
    </message>
    <message>
        <source>Alert received</source>
        <translation>अलर्ट प्राप्त</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>सौंपा गया</translation>
    </message>
    <message>
        <source>Location traced</source>
        <translation>स्थान ट्रेस हुआ</translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation>टीम भेजी गई</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Counselling note</source>
        <translation>काउंसलिंग नोट</translation>
    </message>
    <message>
        <source>Follow-up scheduled</source>
        <translation>फॉलो-अप तय</translation>
    </message>
    <message>
        <source>Follow-up done</source>
        <translation>फॉलो-अप पूरा</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>उच्च स्तर पर भेजा</translation>
    </message>
    <message>
        <source>Alarm muted</source>
        <translation>अलार्म मौन</translation>
    </message>
    <message>
        <source>Contact revealed</source>
        <translation>संपर्क देखा गया</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>फिर से खोला</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>सुधार</translation>
    </message>
    <message>
        <source>Raised to suicide risk</source>
        <translation>आत्महत्या जोखिम घोषित</translation>
    </message>
    <message>
        <source>Tipster added to the tip</source>
        <translation>सूचनादाता ने सूचना में जोड़ा</translation>
    </message>
    <message>
        <source>Question to the tipster</source>
        <translation>सूचनादाता से प्रश्न</translation>
    </message>
    <message>
        <source>Tipster&apos;s answer</source>
        <translation>सूचनादाता का उत्तर</translation>
    </message>
    <message>
        <source>Passed to an officer</source>
        <translation>अधिकारी को सौंपा गया</translation>
    </message>
    <message>
        <source>Not yet taken up</source>
        <translation>अभी किसी ने नहीं ली</translation>
    </message>
    <message>
        <source>Action taken</source>
        <translation>की गई कार्रवाई</translation>
    </message>
    <message>
        <source>Tip outcome</source>
        <translation>सूचना का परिणाम</translation>
    </message>
    <message>
        <source>Complaint categorised</source>
        <translation>शिकायत की श्रेणी तय</translation>
    </message>
    <message>
        <source>Linked as a duplicate</source>
        <translation>दोहराव के रूप में जोड़ा गया</translation>
    </message>
    <message>
        <source>Reply drafted</source>
        <translation>उत्तर का मसौदा बना</translation>
    </message>
    <message>
        <source>Reply approved</source>
        <translation>उत्तर स्वीकृत</translation>
    </message>
    <message>
        <source>Reply published</source>
        <translation>उत्तर प्रकाशित</translation>
    </message>
    <message>
        <source>Reply not published</source>
        <translation>उत्तर प्रकाशित नहीं हुआ</translation>
    </message>
    <message>
        <source>Citizen replied</source>
        <translation>नागरिक ने उत्तर दिया</translation>
    </message>
    <message>
        <source>Response due soon</source>
        <translation>उत्तर की समय-सीमा निकट</translation>
    </message>
    <message>
        <source>Response deadline missed</source>
        <translation>उत्तर की समय-सीमा चूकी</translation>
    </message>
    <message>
        <source>Cattle smuggling, cow slaughter</source>
        <translation>पशु तस्करी, गोवध</translation>
    </message>
    <message>
        <source>Illegal drugs, liquor</source>
        <translation>अवैध नशा, शराब</translation>
    </message>
    <message>
        <source>Making or smuggling arms</source>
        <translation>अवैध हथियार बनाना या तस्करी</translation>
    </message>
    <message>
        <source>Gambling</source>
        <translation>जुआ</translation>
    </message>
    <message>
        <source>Prostitution</source>
        <translation>वेश्यावृत्ति</translation>
    </message>
    <message>
        <source>Trafficking of women and children</source>
        <translation>महिलाओं और बच्चों की तस्करी</translation>
    </message>
    <message>
        <source>Illegal mining</source>
        <translation>अवैध खनन</translation>
    </message>
    <message>
        <source>Extortion</source>
        <translation>रंगदारी</translation>
    </message>
    <message>
        <source>Police corruption</source>
        <translation>पुलिस भ्रष्टाचार</translation>
    </message>
    <message>
        <source>Forced conversion</source>
        <translation>जबरन धर्म परिवर्तन</translation>
    </message>
    <message>
        <source>CCTV or evidence of a serious crime</source>
        <translation>गंभीर अपराध का CCTV या साक्ष्य</translation>
    </message>
    <message>
        <source>FIR registered</source>
        <translation>एफ़आईआर दर्ज</translation>
    </message>
    <message>
        <source>No offence found</source>
        <translation>कोई अपराध नहीं पाया गया</translation>
    </message>
    <message>
        <source>False information</source>
        <translation>झूठी सूचना</translation>
    </message>
    <message>
        <source>Duplicate of an earlier tip</source>
        <translation>पहले की सूचना की दोहराई</translation>
    </message>
    <message>
        <source>WhatsApp tip line</source>
        <translation>व्हाट्सऐप सूचना लाइन</translation>
    </message>
    <message>
        <source>Entered by hand</source>
        <translation>हाथ से दर्ज</translation>
    </message>
    <message>
        <source>Tip line</source>
        <translation>सूचना लाइन</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>फ़ोटो</translation>
    </message>
    <message>
        <source>Voice note / audio</source>
        <translation>वॉइस नोट / ऑडियो</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>वीडियो</translation>
    </message>
    <message>
        <source>District operator</source>
        <translation>ज़िला ऑपरेटर</translation>
    </message>
    <message>
        <source>HQ operator</source>
        <translation>मुख्यालय ऑपरेटर</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>पर्यवेक्षक</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>प्रशासक</translation>
    </message>
    <message>
        <source>SP office</source>
        <translation>एसपी कार्यालय</translation>
    </message>
    <message>
        <source>Range DIG</source>
        <translation>रेंज डीआईजी</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>भेजना बाकी</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>अस्वीकृत</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>सिंक हुआ</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>अभी</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 दिन</translation>
    </message>
    <message>
        <source>Crime report</source>
        <translation>अपराध की सूचना</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>यातायात</translation>
    </message>
    <message>
        <source>Cyber fraud</source>
        <translation>साइबर धोखाधड़ी</translation>
    </message>
    <message>
        <source>Women&apos;s safety</source>
        <translation>महिला सुरक्षा</translation>
    </message>
    <message>
        <source>Police conduct</source>
        <translation>पुलिस का आचरण</translation>
    </message>
    <message>
        <source>Information request</source>
        <translation>जानकारी का अनुरोध</translation>
    </message>
    <message>
        <source>Not actionable</source>
        <translation>कार्रवाई योग्य नहीं</translation>
    </message>
    <message>
        <source>Not triaged</source>
        <translation>श्रेणी तय नहीं</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>स्वीकृति की प्रतीक्षा</translation>
    </message>
    <message>
        <source>Being published</source>
        <translation>प्रकाशित हो रहा है</translation>
    </message>
    <message>
        <source>Publication failed, will retry</source>
        <translation>प्रकाशन विफल, फिर प्रयास होगा</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>प्रकाशित</translation>
    </message>
    <message>
        <source>Not yet sent to HQ</source>
        <translation>अभी मुख्यालय को नहीं भेजा गया</translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation>अभी कोई उत्तर नहीं</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>पहला उत्तर</translation>
    </message>
    <message>
        <source>Next response</source>
        <translation>अगला उत्तर</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>समाधान</translation>
    </message>
    <message>
        <source>Breached</source>
        <translation>समय-सीमा पार</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>चेतावनी</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>समय पर</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>पूरा हुआ</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>चूक गया</translation>
    </message>
    <message>
        <source>No clock</source>
        <translation>कोई घड़ी नहीं</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation type="obsolete">%n मिनट</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 घं %2 मिनट</translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation type="vanished">
            <numerusform>%n दिन</numerusform>
            <numerusform>%n दिन</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 सेकंड</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 मिनट</translation>
    </message>
</context>
<context>
    <name>LocationBox</name>
    <message>
        <source>coordinates</source>
        <translation>निर्देशांक</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>कॉपी</translation>
    </message>
    <message>
        <source>Copy coordinates</source>
        <translation>निर्देशांक कॉपी करें</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>अभी ज्ञात नहीं</translation>
    </message>
    <message>
        <source>Open in map</source>
        <translation>नक्शे में खोलें</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Console locked</source>
        <translation>कंसोल लॉक है</translation>
    </message>
    <message>
        <source>Personal data is hidden. Alarms still sound. Enter your password to continue.</source>
        <translation type="vanished">निजी जानकारी छिपाई गई है। अलार्म बजते रहेंगे। जारी रखने के लिए पासवर्ड डालें।</translation>
    </message>
    <message>
        <source>Personal data is hidden. Alarms still sound. Any operator of this console can sign in here with their own user name and password.</source>
        <translation>व्यक्तिगत जानकारी छिपी है। अलार्म बजते रहेंगे। इस कंसोल का कोई भी ऑपरेटर अपने यूज़र नाम और पासवर्ड से यहाँ साइन इन कर सकता है।</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>यूज़र नाम</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>पासवर्ड</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>अनलॉक करें</translation>
    </message>
    <message>
        <source>Sign in and acknowledge the alert</source>
        <translation>साइन इन करें और अलर्ट स्वीकार करें</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>जाँच हो रही है…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>This account is locked after repeated wrong passwords. Ask your supervisor.</source>
        <translation>बार-बार गलत पासवर्ड के कारण यह खाता लॉक है। अपने पर्यवेक्षक से संपर्क करें।</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>उपयोगकर्ता नाम या पासवर्ड गलत है।</translation>
    </message>
    <message>
        <source>HQ refused the login: %1</source>
        <translation>मुख्यालय ने लॉगिन अस्वीकार किया: %1</translation>
    </message>
    <message>
        <source>HQ cannot be reached at %1. Check the address and the network.</source>
        <translation>मुख्यालय %1 पर उपलब्ध नहीं है। पता और नेटवर्क जाँचें।</translation>
    </message>
    <message>
        <source>Login failed: %1</source>
        <translation>लॉगिन विफल: %1</translation>
    </message>
    <message>
        <source>Rakshak — log in</source>
        <translation>रक्षक — लॉगिन</translation>
    </message>
    <message>
        <source>Log in with the account HQ gave you. This workstation is registered with HQ.</source>
        <translation>मुख्यालय द्वारा दिए गए खाते से लॉगिन करें। यह वर्कस्टेशन मुख्यालय में पंजीकृत होगा।</translation>
    </message>
    <message>
        <source>HQ address</source>
        <translation>मुख्यालय का पता</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>उपयोगकर्ता नाम</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>पासवर्ड</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>भाषा</translation>
    </message>
    <message>
        <source>Language / भाषा</source>
        <translation>Language / भाषा</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>लॉगिन करें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>Fill in the HQ address, your username and your password.</source>
        <translation>मुख्यालय का पता, उपयोगकर्ता नाम और पासवर्ड भरें।</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>लॉगिन हो रहा है…</translation>
    </message>
</context>
<context>
    <name>MailboxStrip</name>
    <message>
        <source>Mailbox %1 · contact %2 · fetched %3</source>
        <translation type="vanished">मेलबॉक्स %1 · संपर्क %2 · प्राप्त %3</translation>
    </message>
    <message>
        <source>Mailbox %1</source>
        <translation>मेलबॉक्स %1</translation>
    </message>
    <message>
        <source>HQ has never reached it</source>
        <translation>मुख्यालय कभी इससे जुड़ नहीं पाया</translation>
    </message>
    <message>
        <source>no answer for over %1 min</source>
        <translation>%1 मिनट से अधिक समय से कोई उत्तर नहीं</translation>
    </message>
    <message>
        <source>error at %1: %2</source>
        <translation>%1 पर त्रुटि: %2</translation>
    </message>
    <message>
        <source>contact %1 · fetched %2</source>
        <translation>संपर्क %1 · प्राप्त %2</translation>
    </message>
    <message>
        <source>Mailbox health</source>
        <translation>मेलबॉक्स की स्थिति</translation>
    </message>
    <message>
        <source>No mailbox has been read at HQ yet.</source>
        <translation>मुख्यालय ने अभी तक कोई मेलबॉक्स नहीं पढ़ा है।</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>acknowledgement</source>
        <translation>स्वीकृति</translation>
    </message>
    <message>
        <source>mute</source>
        <translation>मौन</translation>
    </message>
    <message>
        <source>Alarm silenced on this console although HQ refused its %1: %2. Call HQ.</source>
        <translation>HQ ने इस कंसोल की %1 अस्वीकार की (%2), फिर भी यहाँ अलार्म बंद है। HQ को फ़ोन करें।</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>स्वीकार करें</translation>
    </message>
    <message>
        <source>&amp;HQ</source>
        <translation>मुख्यालय</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>दृश्य</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>खोजें</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Reports…</source>
        <translation>रिपोर्ट…</translation>
    </message>
    <message>
        <source>Misinformation claims…</source>
        <translation>भ्रामक दावे…</translation>
    </message>
    <message>
        <source>Suspicious accounts…</source>
        <translation>संदिग्ध खाते…</translation>
    </message>
    <message>
        <source>Officers for tips…</source>
        <translation>सूचनाओं के लिए अधिकारी…</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>सिंक</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>अभी सिंक करें</translation>
    </message>
    <message>
        <source>Changes refused by HQ…</source>
        <translation>मुख्यालय द्वारा अस्वीकृत बदलाव…</translation>
    </message>
    <message>
        <source>&amp;Alarm</source>
        <translation>अलार्म</translation>
    </message>
    <message>
        <source>Test the alarm sound</source>
        <translation>अलार्म की आवाज़ जाँचें</translation>
    </message>
    <message>
        <source>Check audio now</source>
        <translation>ऑडियो अभी जाँचें</translation>
    </message>
    <message>
        <source>S&amp;ettings</source>
        <translation>सेटिंग्स</translation>
    </message>
    <message>
        <source>Language / भाषा</source>
        <translation>Language / भाषा</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>अभी लॉक करें</translation>
    </message>
    <message>
        <source>HQ</source>
        <translation>मुख्यालय</translation>
    </message>
    <message>
        <source>Rakshak — control room</source>
        <translation>रक्षक — नियंत्रण कक्ष</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="vanished">सहेजा नहीं गया: %1</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>स्वीकृत</translation>
    </message>
    <message>
        <source>Unmuted early by %1</source>
        <translation>%1 ने समय से पहले मौन हटाया</translation>
    </message>
    <message>
        <source>Alarm unmuted</source>
        <translation>अलार्म का मौन हटाया गया</translation>
    </message>
    <message>
        <source>Select a case first.</source>
        <translation>पहले एक केस चुनें।</translation>
    </message>
    <message>
        <source>Syncing with HQ…</source>
        <translation>मुख्यालय से सिंक हो रहा है…</translation>
    </message>
    <message>
        <source>The alarm cannot sound: %1</source>
        <translation type="vanished">अलार्म नहीं बज सकता: %1</translation>
    </message>
    <message>
        <source>Alarm test</source>
        <translation type="vanished">अलार्म जाँच</translation>
    </message>
    <message>
        <source>Test alarm playing: confirm you can hear it.</source>
        <translation type="vanished">जाँच अलार्म बज रहा है: पुष्टि करें कि आवाज़ सुनाई दे रही है।</translation>
    </message>
    <message>
        <source>Test alarm finished. Did everyone in the control room hear it clearly?</source>
        <translation type="vanished">परीक्षण अलार्म समाप्त। क्या नियंत्रण कक्ष में सभी ने इसे साफ़ सुना?</translation>
    </message>
    <message>
        <source>Yes, we heard it</source>
        <translation type="vanished">हाँ, सुना</translation>
    </message>
    <message>
        <source>No, it was not heard</source>
        <translation type="vanished">नहीं, सुनाई नहीं दिया</translation>
    </message>
    <message>
        <source>Test alarm not heard: the warning stays until a test alarm is heard.</source>
        <translation type="vanished">परीक्षण अलार्म सुनाई नहीं दिया: जब तक कोई परीक्षण अलार्म सुनाई न दे, चेतावनी दिखती रहेगी।</translation>
    </message>
    <message>
        <source>Test alarm heard: thank you, reported to HQ.</source>
        <translation type="vanished">परीक्षण अलार्म सुना गया: धन्यवाद, मुख्यालय को सूचित कर दिया गया।</translation>
    </message>
    <message>
        <source>Local store problem</source>
        <translation>स्थानीय डेटाबेस में समस्या</translation>
    </message>
    <message>
        <source>The local store on this workstation failed: %1

Check free disk space. Your drafts are kept; call the district IT contact if this repeats.</source>
        <translation>इस वर्कस्टेशन का स्थानीय डेटाबेस विफल हुआ: %1

डिस्क में खाली जगह जाँचें। आपके मसौदे सुरक्षित हैं; बार-बार हो तो ज़िला IT संपर्क को कॉल करें।</translation>
    </message>
    <message>
        <source>Internal error; details were logged for a report.</source>
        <translation>आंतरिक त्रुटि; रिपोर्ट के लिए विवरण लॉग किया गया।</translation>
    </message>
    <message>
        <source>Your login has expired (%1). Log in again; your work is kept and will be sent.</source>
        <translation>आपका लॉगिन समाप्त हो गया (%1)। फिर से लॉगिन करें; आपका काम सुरक्षित है और भेजा जाएगा।</translation>
    </message>
    <message>
        <source>%1 has not signed in on this console before, and HQ cannot be reached to check. Sign in with a user who has, or wait for the link.</source>
        <translation>%1 ने इस कंसोल पर पहले कभी साइन इन नहीं किया है, और जाँच के लिए मुख्यालय से संपर्क नहीं हो पा रहा। ऐसे यूज़र से साइन इन करें जिसने पहले किया हो, या कनेक्शन लौटने की प्रतीक्षा करें।</translation>
    </message>
    <message>
        <source>%1 is not an operator of this console&apos;s district.</source>
        <translation>%1 इस कंसोल के ज़िले के ऑपरेटर नहीं हैं।</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>गलत यूज़र नाम या पासवर्ड।</translation>
    </message>
    <message>
        <source>%1 is a district operator; this console shows HQ&apos;s board and cases. A district operator signs in at the district&apos;s own console.</source>
        <translation>%1 ज़िला ऑपरेटर हैं; यह कंसोल मुख्यालय का बोर्ड और केस दिखाता है। ज़िला ऑपरेटर अपने ज़िले के कंसोल पर साइन इन करें।</translation>
    </message>
    <message>
        <source>%1 is an HQ account; this console is a district&apos;s. HQ accounts sign in at an HQ console, which shows the board of every district.</source>
        <translation>%1 मुख्यालय का खाता है; यह कंसोल एक ज़िले का है। मुख्यालय के खाते मुख्यालय के कंसोल पर साइन इन करें, जो सभी ज़िलों का बोर्ड दिखाता है।</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation type="vanished">गलत पासवर्ड।</translation>
    </message>
    <message>
        <source>Could not check the password: %1</source>
        <translation>पासवर्ड जाँचा नहीं जा सका: %1</translation>
    </message>
</context>
<context>
    <name>MediaViewer</name>
    <message>
        <source>This photo cannot be shown.</source>
        <translation>यह फ़ोटो दिखाई नहीं जा सकती।</translation>
    </message>
    <message>
        <source>Voice note / audio</source>
        <translation>वॉइस नोट / ऑडियो</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>चलाएँ</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>रोकें</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
</context>
<context>
    <name>MuteDialog</name>
    <message>
        <source>Mute alarm</source>
        <translation>अलार्म मौन करें</translation>
    </message>
    <message>
        <source>e.g. caller on the line, handling it now</source>
        <translation>जैसे: कॉलर लाइन पर है, अभी संभाल रहे हैं</translation>
    </message>
    <message>
        <source> min</source>
        <translation> मिनट</translation>
    </message>
    <message>
        <source>The alarm rings again when the mute ends unless the case is acknowledged. At most %1 minutes.</source>
        <translation>मौन समाप्त होते ही अलार्म फिर बजेगा, जब तक केस स्वीकार न हो जाए। अधिकतम %1 मिनट।</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>कारण</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>अवधि</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>मौन करें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
</context>
<context>
    <name>MuteNotice</name>
    <message>
        <source>Unmute now</source>
        <translation>अभी मौन हटाएँ</translation>
    </message>
    <message>
        <source>Unmute the alarm now</source>
        <translation>अलार्म का मौन अभी हटाएँ</translation>
    </message>
    <message>
        <source>Alarm muted by %1 until %2 — %3</source>
        <translation>%1 ने अलार्म %2 तक मौन किया — %3</translation>
    </message>
    <message>
        <source>+%1 more muted</source>
        <translation>+%1 और मौन</translation>
    </message>
</context>
<context>
    <name>NoAudioWarning</name>
    <message>
        <source>TEST ALARM NOT HEARD: the alarm may be silent. Check that the speakers are switched on, the volume is turned up and the speaker cable is plugged in; call the IT desk. Watch the screen for new alerts until a test alarm is heard.</source>
        <translation>परीक्षण अलार्म सुनाई नहीं दिया: अलार्म शायद नहीं बजेगा। जाँचें कि स्पीकर चालू हैं, आवाज़ (वॉल्यूम) तेज़ है और स्पीकर का केबल ठीक से लगा है; आईटी डेस्क को फ़ोन करें। जब तक परीक्षण अलार्म सुनाई न दे, नए अलर्ट के लिए स्क्रीन पर नज़र रखें।</translation>
    </message>
    <message>
        <source>Test alarm again</source>
        <translation>फिर से परीक्षण अलार्म बजाएँ</translation>
    </message>
    <message>
        <source>ALARM CANNOT SOUND: no audio output. Check the speakers, their power and cable; call the IT desk. Watch the screen for new alerts until this is fixed.</source>
        <translation>अलार्म नहीं बज सकता: कोई ऑडियो आउटपुट नहीं। स्पीकर, उनकी बिजली और केबल जाँचें; आईटी डेस्क को फ़ोन करें। जब तक यह ठीक न हो, नए अलर्ट के लिए स्क्रीन पर नज़र रखें।</translation>
    </message>
    <message>
        <source>Last check %1: %2</source>
        <translation>पिछली जाँच %1: %2</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>फिर से जाँचें</translation>
    </message>
</context>
<context>
    <name>OfficerDialog</name>
    <message>
        <source>Pass the tip to an officer</source>
        <translation>सूचना किसी अधिकारी को सौंपें</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>अधिकारी</translation>
    </message>
    <message>
        <source>Loading the district&apos;s officers from HQ…</source>
        <translation>मुख्यालय से ज़िले के अधिकारी लाए जा रहे हैं…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>टिप्पणी</translation>
    </message>
    <message>
        <source>Pass to officer</source>
        <translation>अधिकारी को सौंपें</translation>
    </message>
    <message>
        <source>Choose one of the district&apos;s officers.</source>
        <translation>ज़िले के अधिकारियों में से एक चुनें।</translation>
    </message>
    <message>
        <source>HQ lists no other officer for this district; the SP office adds them.</source>
        <translation>मुख्यालय की सूची में इस ज़िले का कोई और अधिकारी नहीं है; एसपी कार्यालय उन्हें जोड़ता है।</translation>
    </message>
</context>
<context>
    <name>OfficerListDialog</name>
    <message>
        <source>Officers for tips</source>
        <translation>सूचनाओं के लिए अधिकारी</translation>
    </message>
    <message>
        <source>Loading the district&apos;s officers from HQ…</source>
        <translation>मुख्यालय से ज़िले के अधिकारी लाए जा रहे हैं…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>पद</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>सक्रिय</translation>
    </message>
    <message>
        <source>Add officer</source>
        <translation>अधिकारी जोड़ें</translation>
    </message>
    <message>
        <source>Retire selected officer</source>
        <translation>चुने गए अधिकारी को सूची से हटाएँ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <source>Rank (SI, Inspector…)</source>
        <translation>पद (उपनिरीक्षक, निरीक्षक…)</translation>
    </message>
    <message>
        <source>Police station (optional)</source>
        <translation>थाना (वैकल्पिक)</translation>
    </message>
    <message>
        <source>The district&apos;s officers as HQ keeps them.</source>
        <translation>ज़िले के अधिकारी, जैसे मुख्यालय उन्हें रखता है।</translation>
    </message>
    <message>
        <source>this console is not signed in to HQ.</source>
        <translation>यह कंसोल मुख्यालय में साइन इन नहीं है।</translation>
    </message>
    <message>
        <source>HQ&apos;s list could not be read: %1 Shown: the active officers as HQ gave them at %2. Adding and retiring need HQ.</source>
        <translation>मुख्यालय की सूची नहीं पढ़ी जा सकी: %1 दिखाए गए: सक्रिय अधिकारी, जैसे मुख्यालय ने %2 पर दिए थे। जोड़ने और हटाने के लिए मुख्यालय चाहिए।</translation>
    </message>
    <message>
        <source>HQ&apos;s list could not be read: %1 This console has no copy of it yet.</source>
        <translation>मुख्यालय की सूची नहीं पढ़ी जा सकी: %1 इस कंसोल के पास अभी इसकी कोई प्रति नहीं है।</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>सूची से हटाए गए</translation>
    </message>
    <message>
        <source>HQ did not take the change: %1</source>
        <translation>मुख्यालय ने बदलाव नहीं लिया: %1</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Outcome of the tip</source>
        <translation>सूचना का परिणाम</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Close the tip</source>
        <translation>सूचना बंद करें</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>दर्ज करें</translation>
    </message>
    <message>
        <source>Detail (FIR number, reason)</source>
        <translation>विवरण (एफ़आईआर संख्या, कारण)</translation>
    </message>
</context>
<context>
    <name>OutcomesTab</name>
    <message>
        <source>Outcomes</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Alerts and lives saved per week</source>
        <translation>प्रति सप्ताह अलर्ट और बचाई गई जानें</translation>
    </message>
    <message>
        <source>Alerts and lives saved per month</source>
        <translation>प्रति माह अलर्ट और बचाई गई जानें</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>अलर्ट</translation>
    </message>
    <message>
        <source>Lives saved</source>
        <translation>बचाई गई जानें</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>लोड हो रहा है…</translation>
    </message>
</context>
<context>
    <name>PeriodPicker</name>
    <message>
        <source>Period</source>
        <translation>अवधि</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>इस माह</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>पिछला माह</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>इस वर्ष</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>पिछला वर्ष</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>पिछले 12 माह</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>अपनी अवधि</translation>
    </message>
    <message>
        <source>From</source>
        <translation>से</translation>
    </message>
    <message>
        <source>To</source>
        <translation>तक</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>अवधि:</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <source>Wait</source>
        <translation>प्रतीक्षा</translation>
    </message>
    <message>
        <source>Re-alarm the district&apos;s consoles</source>
        <translation>ज़िले के कंसोल पर फिर से अलार्म</translation>
    </message>
    <message>
        <source>Alarm HQ</source>
        <translation>मुख्यालय में अलार्म</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>सूचित करें</translation>
    </message>
    <message>
        <source>Repeat the chain</source>
        <translation>पूरी शृंखला दोहराएँ</translation>
    </message>
    <message>
        <source>SP control room</source>
        <translation>एसपी नियंत्रण कक्ष</translation>
    </message>
    <message>
        <source>SHO of the station</source>
        <translation>थाने के थानाध्यक्ष (SHO)</translation>
    </message>
    <message>
        <source>Range DIG</source>
        <translation>रेंज डीआईजी</translation>
    </message>
    <message>
        <source>HQ duty officer</source>
        <translation>मुख्यालय ड्यूटी अधिकारी</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>एसएमएस</translation>
    </message>
    <message>
        <source>voice call</source>
        <translation>वॉइस कॉल</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>ई-मेल</translation>
    </message>
    <message>
        <source>Wait %1 min</source>
        <translation>%1 मिनट प्रतीक्षा</translation>
    </message>
    <message>
        <source>Repeat the chain %1 more times</source>
        <translation>शृंखला %1 बार और दोहराएँ</translation>
    </message>
    <message>
        <source>Notify %1 by %2</source>
        <translation>%1 को %2 से सूचित करें</translation>
    </message>
    <message>
        <source>Districts</source>
        <translation>ज़िले</translation>
    </message>
    <message>
        <source>State default (every district without its own)</source>
        <translation>राज्य की डिफ़ॉल्ट नीति (जिन ज़िलों की अपनी नीति नहीं)</translation>
    </message>
    <message>
        <source>Missed complaint deadlines</source>
        <translation>शिकायतों की चूकी समय-सीमाएँ</translation>
    </message>
    <message>
        <source>Whom a complaint&apos;s missed deadline notifies (the supervisor&apos;s desk)</source>
        <translation>शिकायत की समय-सीमा चूकने पर किसे सूचना जाती है (पर्यवेक्षक की डेस्क)</translation>
    </message>
    <message>
        <source>Steps, in order</source>
        <translation>चरण, क्रम से</translation>
    </message>
    <message>
        <source> min</source>
        <translation> मिनट</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>कार्य:</translation>
    </message>
    <message>
        <source>Wait:</source>
        <translation>प्रतीक्षा:</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>दोहराएँ:</translation>
    </message>
    <message>
        <source>Notify:</source>
        <translation>सूचित करें:</translation>
    </message>
    <message>
        <source>By:</source>
        <translation>माध्यम:</translation>
    </message>
    <message>
        <source>Add step</source>
        <translation>चरण जोड़ें</translation>
    </message>
    <message>
        <source>Remove step</source>
        <translation>चरण हटाएँ</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>ऊपर करें</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>नीचे करें</translation>
    </message>
    <message>
        <source>Duty contacts</source>
        <translation>ड्यूटी संपर्क</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>भूमिका</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>फ़ोन</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>ई-मेल</translation>
    </message>
    <message>
        <source>Save policy</source>
        <translation>नीति सहेजें</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>बदलाव वापस लें</translation>
    </message>
    <message>
        <source>Reload from HQ</source>
        <translation>मुख्यालय से फिर लाएँ</translation>
    </message>
    <message>
        <source>Acknowledged but not dispatched: escalate again after</source>
        <translation>स्वीकृत पर टीम नहीं भेजी गई: फिर से एस्केलेट करें इतने बाद</translation>
    </message>
    <message>
        <source>Steps, in order (a missed deadline only notifies: no alarm rings for a complaint):</source>
        <translation>चरण, क्रम से (चूकी समय-सीमा पर केवल सूचना जाती है: शिकायत के लिए कोई अलार्म नहीं बजता):</translation>
    </message>
    <message>
        <source>Steps, in order (a step runs only while the case is still unacknowledged):</source>
        <translation>चरण, क्रम से (कोई चरण तभी चलता है जब केस अभी तक स्वीकार न हुआ हो):</translation>
    </message>
    <message>
        <source>Read only: only an administrator can change escalation policies.</source>
        <translation>केवल पढ़ने के लिए: एस्केलेशन नीतियाँ केवल प्रशासक बदल सकते हैं।</translation>
    </message>
    <message>
        <source>Asking HQ…</source>
        <translation>मुख्यालय से पूछ रहे हैं…</translation>
    </message>
    <message>
        <source>not signed in to HQ</source>
        <translation>मुख्यालय में साइन इन नहीं</translation>
    </message>
    <message>
        <source>Duty contacts not fetched: %1</source>
        <translation>ड्यूटी संपर्क नहीं लाए जा सके: %1</translation>
    </message>
    <message>
        <source>Duty contacts (%1; kept with the admin command line):</source>
        <translation>ड्यूटी संपर्क (%1; एडमिन कमांड लाइन से रखे जाते हैं):</translation>
    </message>
    <message>
        <source>As stored at HQ.</source>
        <translation>मुख्यालय में सहेजे अनुसार।</translation>
    </message>
    <message>
        <source>None stored: HQ&apos;s default, its duty officers by SMS and e-mail. Saving stores one.</source>
        <translation>कोई सहेजी नहीं गई: मुख्यालय का डिफ़ॉल्ट, उसके ड्यूटी अधिकारी SMS और ई-मेल से। सहेजने पर एक सहेजी जाती है।</translation>
    </message>
    <message>
        <source>Stored at HQ.</source>
        <translation>मुख्यालय में सहेजी गई।</translation>
    </message>
    <message>
        <source>The state-wide default.</source>
        <translation>पूरे राज्य की डिफ़ॉल्ट नीति।</translation>
    </message>
    <message>
        <source>No policy of its own: it follows the state default. Saving gives it its own.</source>
        <translation>इसकी अपनी नीति नहीं: यह राज्य की डिफ़ॉल्ट नीति मानता है। सहेजने पर इसकी अपनी नीति बनेगी।</translation>
    </message>
    <message>
        <source>Its own policy.</source>
        <translation>इसकी अपनी नीति।</translation>
    </message>
    <message>
        <source>Version %1, changed %2 by %3.</source>
        <translation>संस्करण %1, %2 को %3 द्वारा बदला गया।</translation>
    </message>
    <message>
        <source>HQ did not answer: %1</source>
        <translation>मुख्यालय ने उत्तर नहीं दिया: %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>सहेज रहे हैं…</translation>
    </message>
    <message>
        <source>Saved at HQ. Escalations already running keep the policy they began with.</source>
        <translation>मुख्यालय में सहेजा गया। पहले से चल रहे एस्केलेशन अपनी शुरुआती नीति पर ही चलेंगे।</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>सहेजा नहीं गया: %1</translation>
    </message>
    <message>
        <source>Changed here, not saved at HQ yet.</source>
        <translation>यहाँ बदला गया, अभी मुख्यालय में सहेजा नहीं गया।</translation>
    </message>
    <message>
        <source>HQ would refuse this policy: %1</source>
        <translation>मुख्यालय यह नीति अस्वीकार करेगा: %1</translation>
    </message>
</context>
<context>
    <name>QuestionDialog</name>
    <message>
        <source>Question to the tipster</source>
        <translation>सूचनादाता से प्रश्न</translation>
    </message>
    <message>
        <source>HQ relays your question to %1 over WhatsApp. The tipster sees only the question, not your name; the answer appears in this tip&apos;s timeline.</source>
        <translation>मुख्यालय आपका प्रश्न WhatsApp पर %1 तक पहुँचाता है। सूचनादाता केवल प्रश्न देखता है, आपका नाम नहीं; उत्तर इस सूचना की समय-रेखा में आएगा।</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>प्रश्न</translation>
    </message>
    <message>
        <source>Send through HQ</source>
        <translation>मुख्यालय से भेजें</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>समय</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>व्यक्ति</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>सिंक</translation>
    </message>
    <message numerus="yes">
        <source>HQ refused %n change(s); open the case to see why</source>
        <translation>
            <numerusform>मुख्यालय ने %n बदलाव अस्वीकार किए; कारण देखने के लिए केस खोलें</numerusform>
            <numerusform>मुख्यालय ने %n बदलाव अस्वीकार किए; कारण देखने के लिए केस खोलें</numerusform>
        </translation>
    </message>
    <message>
        <source>(removed: case moved out of this district)</source>
        <translation>(हटाया गया: केस इस ज़िले से बाहर गया)</translation>
    </message>
    <message numerus="yes">
        <source>refused (%n)</source>
        <translation>
            <numerusform>अस्वीकृत (%n)</numerusform>
            <numerusform>अस्वीकृत (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>pending (%n)</source>
        <translation>
            <numerusform>भेजना बाकी (%n)</numerusform>
            <numerusform>भेजना बाकी (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>synced</source>
        <translation>सिंक हुआ</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Filter by status</source>
        <translation>स्थिति से छाँटें</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>खुले केस</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>सभी केस</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>देय फॉलो-अप</translation>
    </message>
    <message>
        <source>Filter by kind</source>
        <translation>प्रकार से छाँटें</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>सभी प्रकार</translation>
    </message>
    <message>
        <source>Filter by police station</source>
        <translation>थाने से छाँटें</translation>
    </message>
    <message>
        <source>All police stations</source>
        <translation>सभी थाने</translation>
    </message>
    <message>
        <source>Search name, phone, reference, post text  (Ctrl+F)</source>
        <translation>नाम, फ़ोन, संदर्भ, पोस्ट खोजें  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search cases</source>
        <translation>केस खोजें</translation>
    </message>
    <message>
        <source>Number of cases</source>
        <translation>केसों की संख्या</translation>
    </message>
    <message>
        <source>Case queue</source>
        <translation>केस कतार</translation>
    </message>
    <message>
        <source>All but complaints</source>
        <translation>शिकायतों के सिवा सभी</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n केस</numerusform>
            <numerusform>%n केस</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RefusedDialog</name>
    <message>
        <source>Changes HQ refused</source>
        <translation>मुख्यालय द्वारा अस्वीकृत बदलाव</translation>
    </message>
    <message>
        <source>HQ did not accept these entries. They are kept here and left out of the case, also when the case has left your district (then without personal details). Open the case and record the entry again, corrected, or pass it on; then mark it as dealt with.</source>
        <translation>मुख्यालय ने ये प्रविष्टियाँ स्वीकार नहीं कीं। ये यहाँ रखी गई हैं और केस में शामिल नहीं हैं, तब भी जब केस आपके ज़िले से जा चुका हो (तब व्यक्तिगत विवरण के बिना)। केस खोलकर प्रविष्टि सुधारकर दोबारा दर्ज करें, या आगे भेजें; फिर उसे निपटाया गया चिह्नित करें।</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>निर्यात करें…</translation>
    </message>
    <message>
        <source>Mark as dealt with</source>
        <translation>निपटाया गया चिह्नित करें</translation>
    </message>
    <message>
        <source>Export refused changes</source>
        <translation>अस्वीकृत बदलाव निर्यात करें</translation>
    </message>
    <message>
        <source>JSON (*.json);;CSV (*.csv)</source>
        <translation>JSON (*.json);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not write the file: %1</source>
        <translation>फ़ाइल नहीं लिखी जा सकी: %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>निर्यात विफल</translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation>अस्वीकृत बदलाव</translation>
    </message>
    <message>
        <source>Entries held for review at HQ were sent; a supervisor there accepts or rejects them, and this list shows the decision.</source>
        <translation>समीक्षा के लिए रोकी गई प्रविष्टियाँ भेजी जा चुकी हैं; मुख्यालय में पर्यवेक्षक उन्हें स्वीकार या अस्वीकार करेंगे, और यह सूची उनका निर्णय दिखाएगी।</translation>
    </message>
    <message>
        <source>Held for review at HQ: %1</source>
        <translation>मुख्यालय में समीक्षा के लिए रोकी गई: %1</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Reports</source>
        <translation>रिपोर्ट</translation>
    </message>
    <message>
        <source>Reports are not available on this console.</source>
        <translation>इस कंसोल पर रिपोर्ट उपलब्ध नहीं हैं।</translation>
    </message>
    <message>
        <source>HQ acknowledged</source>
        <translation>मुख्यालय ने स्वीकार किया</translation>
    </message>
    <message>
        <source>Routed to district</source>
        <translation>ज़िले को भेजा गया</translation>
    </message>
    <message>
        <source>District acknowledged</source>
        <translation>ज़िले ने स्वीकार किया</translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation>टीम भेजी गई</translation>
    </message>
    <message>
        <source>Person reached</source>
        <translation>व्यक्ति तक पहुँचे</translation>
    </message>
    <message>
        <source>Counselled</source>
        <translation>काउंसलिंग हुई</translation>
    </message>
    <message>
        <source>State total</source>
        <translation>पूरा राज्य</translation>
    </message>
    <message>
        <source>Range total</source>
        <translation>रेंज का योग</translation>
    </message>
    <message>
        <source>District: %1</source>
        <translation>ज़िला: %1</translation>
    </message>
    <message>
        <source>Range: %1</source>
        <translation>रेंज: %1</translation>
    </message>
    <message>
        <source>Whole state</source>
        <translation>पूरा राज्य</translation>
    </message>
    <message>
        <source>Figures from HQ, as of %1</source>
        <translation>मुख्यालय के आँकड़े, %1 तक</translation>
    </message>
    <message>
        <source>HQ cannot be reached: figures from this console&apos;s replica, as of %1</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा: इस कंसोल की स्थानीय प्रति के आँकड़े, %1 तक</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>रिपोर्ट</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>अवधि</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>क्षेत्र</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>स्रोत</translation>
    </message>
    <message>
        <source>Run by</source>
        <translation>किसने निकाली</translation>
    </message>
    <message>
        <source>Exported at</source>
        <translation>निर्यात का समय</translation>
    </message>
    <message>
        <source>Period: alerts received from the first day to the last day inclusive, by the date in India Standard Time; the scope is the whole state, one range or one district.</source>
        <translation>अवधि: पहले दिन से अंतिम दिन तक (दोनों सहित) प्राप्त अलर्ट, भारतीय मानक समय की तारीख़ के अनुसार; क्षेत्र पूरा राज्य, एक रेंज या एक ज़िला है।</translation>
    </message>
    <message>
        <source>Alerts: suicide-risk cases received in the period, raised cases included.</source>
        <translation>अलर्ट: अवधि में प्राप्त आत्महत्या-जोखिम के केस, बढ़ाए गए केस सहित।</translation>
    </message>
    <message>
        <source>Lives saved: outcome &apos;safe, counselled&apos;, &apos;handed to family&apos; or &apos;hospitalised&apos;.</source>
        <translation>बचाई गई जानें: परिणाम &apos;सुरक्षित, काउंसलिंग हुई&apos;, &apos;परिवार को सौंपा गया&apos; या &apos;अस्पताल में भर्ती&apos;।</translation>
    </message>
    <message>
        <source>Not reached and false alarms are counted by the reason recorded with the outcome.</source>
        <translation>नहीं पहुँच सके और झूठे अलार्म परिणाम के साथ दर्ज कारण के अनुसार गिने जाते हैं।</translation>
    </message>
    <message>
        <source>Still open: no outcome recorded yet. The state row is the sum of the district rows.</source>
        <translation>अभी खुले: अभी तक कोई परिणाम दर्ज नहीं। राज्य की पंक्ति ज़िलों की पंक्तियों का योग है।</translation>
    </message>
    <message>
        <source>A step&apos;s time runs from the latest earlier step the case reached (the first from the alert&apos;s receipt) to this step; p50, p90 and p99 are the times half, 90% and 99% of cases stayed within.</source>
        <translation>किसी चरण का समय, केस के पिछले पूरे हुए चरण से (पहले चरण का अलर्ट मिलने से) इस चरण तक गिना जाता है; p50, p90 और p99 वे समय हैं जिनके भीतर आधे, 90% और 99% केस रहे।</translation>
    </message>
    <message>
        <source>Routed: the first assignment to a district. Counselled: the first counselling note.</source>
        <translation>ज़िले को भेजा गया: किसी ज़िले को पहला आवंटन। काउंसलिंग हुई: पहला काउंसलिंग नोट।</translation>
    </message>
    <message>
        <source>Over target: cases whose step took longer than the step&apos;s target.</source>
        <translation>लक्ष्य से अधिक: वे केस जिनके चरण में लक्ष्य से अधिक समय लगा।</translation>
    </message>
    <message>
        <source>Covered: share of the period with at least one console online that could sound the alarm.</source>
        <translation>कवरेज: अवधि का वह हिस्सा जब कम से कम एक ऐसा कंसोल ऑनलाइन था जो अलार्म बजा सकता था।</translation>
    </message>
    <message>
        <source>Test alarms: confirmed heard or not heard by the control room.</source>
        <translation>परीक्षण अलार्म: कंट्रोल रूम ने सुना या नहीं सुना, इसकी पुष्टि।</translation>
    </message>
    <message>
        <source>Due: follow-ups due in the period. Done: completed. Overdue: past their date and not done.</source>
        <translation>देय: अवधि में देय फ़ॉलो-अप। पूरे: पूरे किए गए। विलंबित: तारीख़ निकल गई और पूरे नहीं हुए।</translation>
    </message>
    <message>
        <source>Complaints: posted on the platform in the period (by the platform&apos;s date in India Standard Time). First response: due two hours after the post (or as set per category), met by the first published reply.</source>
        <translation>शिकायतें: अवधि में प्लेटफ़ॉर्म पर पोस्ट की गईं (भारतीय मानक समय में प्लेटफ़ॉर्म की तिथि से)। पहला जवाब: पोस्ट के दो घंटे बाद देय (या श्रेणी के अनुसार तय), पहले प्रकाशित जवाब से पूरा।</translation>
    </message>
    <message>
        <source>Due: met or missed by now. Missed: met late, or still open past the deadline. Compliance: met divided by due. p50 and p90: post to first published reply.</source>
        <translation>देय: अब तक पूरे या चूके। चूके: देर से पूरे, या समय-सीमा बीतने पर भी खुले। अनुपालन: पूरे ÷ देय। p50 और p90: पोस्ट से पहले प्रकाशित जवाब तक।</translation>
    </message>
    <message>
        <source>Tips received in the period (by the date in India Standard Time), by district and category, with their status now. Counts only: nothing about any tipster.</source>
        <translation>अवधि में प्राप्त सूचनाएँ (भारतीय मानक समय की तिथि से), ज़िले और श्रेणी के अनुसार, उनकी वर्तमान स्थिति के साथ। केवल गिनती: किसी सूचनादाता के बारे में कुछ नहीं।</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>नहीं पहुँच सके</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>झूठा अलार्म</translation>
    </message>
    <message>
        <source>Crime report</source>
        <translation type="vanished">अपराध की सूचना</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation type="vanished">यातायात</translation>
    </message>
    <message>
        <source>Cyber fraud</source>
        <translation type="vanished">साइबर धोखाधड़ी</translation>
    </message>
    <message>
        <source>Women&apos;s safety</source>
        <translation type="vanished">महिला सुरक्षा</translation>
    </message>
    <message>
        <source>Police conduct</source>
        <translation type="vanished">पुलिस आचरण</translation>
    </message>
    <message>
        <source>Information request</source>
        <translation type="vanished">जानकारी का अनुरोध</translation>
    </message>
    <message>
        <source>Not actionable</source>
        <translation type="vanished">कार्रवाई योग्य नहीं</translation>
    </message>
    <message>
        <source>Not yet categorised</source>
        <translation>अभी श्रेणी तय नहीं</translation>
    </message>
    <message>
        <source>First response</source>
        <translation type="vanished">पहला जवाब</translation>
    </message>
    <message>
        <source>Next response</source>
        <translation type="vanished">अगला जवाब</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="vanished">समाधान</translation>
    </message>
    <message>
        <source>Complaints received</source>
        <translation>प्राप्त शिकायतें</translation>
    </message>
    <message>
        <source>First responses due</source>
        <translation>देय पहले जवाब</translation>
    </message>
    <message>
        <source>Met within the deadline</source>
        <translation>समय-सीमा में पूरे</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>चूके</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>अनुपालन</translation>
    </message>
    <message>
        <source>First response p50 (min)</source>
        <translation>पहला जवाब p50 (मिनट)</translation>
    </message>
    <message>
        <source>First response p90 (min)</source>
        <translation>पहला जवाब p90 (मिनट)</translation>
    </message>
    <message>
        <source>Next response met</source>
        <translation>अगला जवाब समय पर</translation>
    </message>
    <message>
        <source>Next response missed</source>
        <translation>अगला जवाब चूका</translation>
    </message>
    <message>
        <source>Resolution met</source>
        <translation>समाधान समय पर</translation>
    </message>
    <message>
        <source>Resolution missed</source>
        <translation>समाधान चूका</translation>
    </message>
    <message>
        <source>Two-hour compliance by district</source>
        <translation>दो घंटे का अनुपालन, ज़िलेवार</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>Two-hour compliance by category</source>
        <translation>दो घंटे का अनुपालन, श्रेणीवार</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>श्रेणी</translation>
    </message>
    <message>
        <source>The latest %1 of %2 missed deadlines are listed.</source>
        <translation>%2 चूकी समय-सीमाओं में से नवीनतम %1 सूचीबद्ध हैं।</translation>
    </message>
    <message>
        <source>Missed deadlines</source>
        <translation>चूकी समय-सीमाएँ</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>प्लेटफ़ॉर्म</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>समय-सीमा</translation>
    </message>
    <message>
        <source>Late by (min)</source>
        <translation>देरी (मिनट)</translation>
    </message>
    <message>
        <source>(not routed)</source>
        <translation>(किसी ज़िले को नहीं भेजा गया)</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>रेंज</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>अलर्ट</translation>
    </message>
    <message>
        <source>Duplicates merged</source>
        <translation>दोहराव मिलाए गए</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>पहुँच गए</translation>
    </message>
    <message>
        <source>Lives saved</source>
        <translation>बचाई गई जानें</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>मृत्यु</translation>
    </message>
    <message>
        <source>Other outcome</source>
        <translation>अन्य परिणाम</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>अभी खुले</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>योग</translation>
    </message>
    <message>
        <source>Outcomes</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>– Duplicates merged: not known offline. Only HQ merges the copies of an alert, so this console&apos;s replica cannot count them.</source>
        <translation>– मिलाए गए दोहराव: ऑफ़लाइन ज्ञात नहीं। किसी अलर्ट की प्रतियाँ केवल मुख्यालय मिलाता है, इसलिए इस कंसोल की प्रतिकृति इन्हें नहीं गिन सकती।</translation>
    </message>
    <message>
        <source>– Not known offline: the consoles&apos; presence and test alarms are known only at HQ, so this console&apos;s replica has no console-health figures.</source>
        <translation>– ऑफ़लाइन ज्ञात नहीं: कंसोल की उपस्थिति और परीक्षण अलार्म केवल मुख्यालय पर ज्ञात हैं, इसलिए इस कंसोल की प्रतिकृति में कंसोल-स्वास्थ्य के आँकड़े नहीं हैं।</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>चरण</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>p50 (min)</source>
        <translation>p50 (मिनट)</translation>
    </message>
    <message>
        <source>p90 (min)</source>
        <translation>p90 (मिनट)</translation>
    </message>
    <message>
        <source>p99 (min)</source>
        <translation>p99 (मिनट)</translation>
    </message>
    <message>
        <source>Target (min)</source>
        <translation>लक्ष्य (मिनट)</translation>
    </message>
    <message>
        <source>Over target</source>
        <translation>लक्ष्य से अधिक</translation>
    </message>
    <message>
        <source>Chain timing</source>
        <translation>श्रृंखला का समय</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>केस</translation>
    </message>
    <message>
        <source>Claims rebutted</source>
        <translation>खंडित दावे</translation>
    </message>
    <message>
        <source>Claims recorded</source>
        <translation>दर्ज दावे</translation>
    </message>
    <message>
        <source>Rebutted</source>
        <translation>खंडन हुआ</translation>
    </message>
    <message>
        <source>Still investigating</source>
        <translation>जाँच जारी</translation>
    </message>
    <message>
        <source>Closed without rebuttal</source>
        <translation>बिना खंडन बंद</translation>
    </message>
    <message>
        <source>Time to rebuttal p50 (min)</source>
        <translation>खंडन में लगा समय p50 (मिनट)</translation>
    </message>
    <message>
        <source>Time to rebuttal p90 (min)</source>
        <translation>खंडन में लगा समय p90 (मिनट)</translation>
    </message>
    <message>
        <source>Slowest rebuttals</source>
        <translation>सबसे धीमे खंडन</translation>
    </message>
    <message>
        <source>Time (min)</source>
        <translation>समय (मिनट)</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>दावा</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>खाते</translation>
    </message>
    <message>
        <source>Accounts added, by reason</source>
        <translation>जोड़े गए खाते, कारण अनुसार</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>कारण</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>जोड़े गए</translation>
    </message>
    <message>
        <source>Actions taken, by kind</source>
        <translation>की गई कार्रवाई, प्रकार अनुसार</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>कार्रवाई</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>कार्रवाइयाँ</translation>
    </message>
    <message>
        <source>Accounts actioned</source>
        <translation>जिन खातों पर कार्रवाई हुई</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>दावे</translation>
    </message>
    <message>
        <source>Suspicious accounts</source>
        <translation>संदिग्ध खाते</translation>
    </message>
    <message>
        <source>Slowest cases</source>
        <translation>सबसे धीमे केस</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>कवरेज</translation>
    </message>
    <message>
        <source>Test alarms heard</source>
        <translation>परीक्षण अलार्म सुने गए</translation>
    </message>
    <message>
        <source>Test alarms not heard</source>
        <translation>परीक्षण अलार्म नहीं सुने गए</translation>
    </message>
    <message>
        <source>Console health</source>
        <translation>कंसोल की स्थिति</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>देय</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>पूरे</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>विलंबित</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>फ़ॉलो-अप</translation>
    </message>
    <message>
        <source>Tips received</source>
        <translation>प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>खुली</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>सौंपी गई</translation>
    </message>
    <message>
        <source>Actioned</source>
        <translation>कार्रवाई हुई</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>बंद</translation>
    </message>
    <message>
        <source>Questions asked</source>
        <translation>पूछे गए प्रश्न</translation>
    </message>
    <message>
        <source>Questions answered</source>
        <translation>उत्तर मिले प्रश्न</translation>
    </message>
    <message>
        <source>(not routed: the range&apos;s triage)</source>
        <translation>(किसी ज़िले को नहीं: रेंज की छँटाई)</translation>
    </message>
    <message>
        <source>Tips by district</source>
        <translation>सूचनाएँ, ज़िलेवार</translation>
    </message>
    <message>
        <source>Tips by category</source>
        <translation>सूचनाएँ, श्रेणीवार</translation>
    </message>
    <message>
        <source>Tips received per week</source>
        <translation>प्रति सप्ताह प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>Tips received per month</source>
        <translation>प्रति माह प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>Week from</source>
        <translation>सप्ताह आरंभ</translation>
    </message>
    <message>
        <source>Month from</source>
        <translation>माह आरंभ</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>Reports — Rakshak</source>
        <translation>रिपोर्ट — रक्षक</translation>
    </message>
    <message>
        <source>Source of the figures</source>
        <translation>आँकड़ों का स्रोत</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>क्षेत्र</translation>
    </message>
    <message>
        <source>District: %1</source>
        <translation>ज़िला: %1</translation>
    </message>
    <message>
        <source>Whole state</source>
        <translation>पूरा राज्य</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>निर्यात करें…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>निर्यात</translation>
    </message>
    <message>
        <source>CSV (Excel, UTF-8)</source>
        <translation>CSV (Excel, UTF-8)</translation>
    </message>
    <message>
        <source>Excel (.xlsx)</source>
        <translation>Excel (.xlsx)</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>रिपोर्ट</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>निर्यात की प्रगति</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>निर्यात रद्द करें</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>लोड हो रहा है…</translation>
    </message>
    <message>
        <source>No figures shown.</source>
        <translation>कोई आँकड़े नहीं दिखाए गए।</translation>
    </message>
    <message>
        <source>HQ does not allow this report for your role or scope.</source>
        <translation>मुख्यालय आपकी भूमिका या क्षेत्र के लिए यह रिपोर्ट नहीं देता।</translation>
    </message>
    <message>
        <source>HQ refused the report: %1</source>
        <translation>मुख्यालय ने रिपोर्ट अस्वीकार की: %1</translation>
    </message>
    <message>
        <source>The report could not be computed: %1</source>
        <translation>रिपोर्ट नहीं बन सकी: %1</translation>
    </message>
    <message>
        <source>Range: %1</source>
        <translation>रेंज: %1</translation>
    </message>
    <message>
        <source>Nothing to export: no figures are shown yet.</source>
        <translation>निर्यात के लिए कुछ नहीं: अभी कोई आँकड़े नहीं दिखाए गए।</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>रिपोर्ट निर्यात करें</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>एक निर्यात पहले से चल रहा है।</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>निर्यात हो रहा है…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>रद्द हो रहा है…</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>सहेजा गया: %1</translation>
    </message>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>निर्यात रद्द: कोई फ़ाइल नहीं लिखी गई।</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>फ़ाइल नहीं लिखी जा सकी: %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>निर्यात विफल: %1</translation>
    </message>
</context>
<context>
    <name>StoreError</name>
    <message>
        <source>It is not known whether this was saved: the disk failed while saving. What you entered is kept. Free space on the disk or call the IT cell, then submit again: Rakshak checks first and never saves it twice.</source>
        <translation>पता नहीं कि यह सहेजा गया या नहीं: सहेजते समय डिस्क विफल हो गई। आपने जो भरा है वह रखा गया है। डिस्क पर जगह खाली करें या आईटी सेल को बुलाएँ, फिर दोबारा जमा करें: रक्षक पहले जाँचता है और इसे कभी दो बार नहीं सहेजता।</translation>
    </message>
    <message>
        <source>The disk is full: nothing new can be saved. Free space or call the IT cell.</source>
        <translation>डिस्क भर गई है: कुछ भी नया सहेजा नहीं जा सकता। जगह खाली करें या आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>The disk could not be written (it may be full or failing): nothing new can be saved. Free space or call the IT cell.</source>
        <translation>डिस्क पर लिखा नहीं जा सका (वह भरी हुई या खराब हो सकती है): कुछ भी नया सहेजा नहीं जा सकता। जगह खाली करें या आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>The local store is busy or held by another Rakshak program; try again in a moment.</source>
        <translation>स्थानीय भंडार व्यस्त है या किसी दूसरे रक्षक प्रोग्राम के पास है; थोड़ी देर में फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>The local store cannot be opened with this workstation&apos;s key. Call the IT cell.</source>
        <translation>इस वर्कस्टेशन की कुंजी से स्थानीय भंडार नहीं खुल सकता। आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>This workstation has no keyring for the store&apos;s key. Call the IT cell.</source>
        <translation>इस वर्कस्टेशन पर भंडार की कुंजी रखने के लिए कोई कीरिंग नहीं है। आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>The local store is damaged. Call the IT cell and delete nothing.</source>
        <translation>स्थानीय भंडार क्षतिग्रस्त है। आईटी सेल को बुलाएँ और कुछ भी न मिटाएँ।</translation>
    </message>
    <message>
        <source>The data folder cannot be opened or written (permissions). Call the IT cell.</source>
        <translation>डेटा फ़ोल्डर खोला या लिखा नहीं जा सकता (अनुमतियाँ)। आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>This local store needs another Rakshak version or set-up. Call the IT cell.</source>
        <translation>इस स्थानीय भंडार को रक्षक का दूसरा संस्करण या सेटअप चाहिए। आईटी सेल को बुलाएँ।</translation>
    </message>
    <message>
        <source>The local store failed. Call the IT cell.</source>
        <translation>स्थानीय भंडार विफल हो गया। आईटी सेल को बुलाएँ।</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Connection to HQ</source>
        <translation>मुख्यालय से कनेक्शन</translation>
    </message>
    <message>
        <source>Changes waiting to be sent</source>
        <translation>भेजे जाने वाले बदलाव</translation>
    </message>
    <message>
        <source>Changes refused by HQ</source>
        <translation>मुख्यालय द्वारा अस्वीकृत बदलाव</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● ऑनलाइन</translation>
    </message>
    <message>
        <source>● Syncing…</source>
        <translation>● सिंक हो रहा है…</translation>
    </message>
    <message>
        <source>● Session expired</source>
        <translation>● सत्र समाप्त</translation>
    </message>
    <message>
        <source>● Login needed</source>
        <translation>● लॉगिन आवश्यक</translation>
    </message>
    <message>
        <source>● HQ error</source>
        <translation>● मुख्यालय त्रुटि</translation>
    </message>
    <message>
        <source>● Offline — working locally</source>
        <translation>● ऑफ़लाइन — स्थानीय रूप से काम जारी</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to send</source>
        <translation>
            <numerusform>%n बदलाव भेजना बाकी</numerusform>
            <numerusform>%n बदलाव भेजना बाकी</numerusform>
        </translation>
    </message>
    <message>
        <source>All sent</source>
        <translation>सब भेजा गया</translation>
    </message>
    <message numerus="yes">
        <source>%n refused by HQ…</source>
        <translation>
            <numerusform>%n मुख्यालय द्वारा अस्वीकृत…</numerusform>
            <numerusform>%n मुख्यालय द्वारा अस्वीकृत…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n held for review at HQ…</source>
        <translation>
            <numerusform>%n मुख्यालय में समीक्षा हेतु रोकी गई…</numerusform>
            <numerusform>%n मुख्यालय में समीक्षा हेतु रोकी गई…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n case(s) HQ lost in its restore could not be taken back: call HQ</source>
        <translation>
            <numerusform>⚠ बहाली में मुख्यालय से खोए %n केस वापस नहीं लिए जा सके: मुख्यालय को फ़ोन करें</numerusform>
            <numerusform>⚠ बहाली में मुख्यालय से खोए %n केस वापस नहीं लिए जा सके: मुख्यालय को फ़ोन करें</numerusform>
        </translation>
    </message>
    <message>
        <source>HQ must decide on these cases (hq admin repair-refused lists them):</source>
        <translation>इन केसों पर मुख्यालय को निर्णय लेना है (hq admin repair-refused इनकी सूची देता है):</translation>
    </message>
    <message>
        <source>⚠ This PC&apos;s clock is off by %1 s from HQ; fix the time</source>
        <translation>⚠ इस PC की घड़ी मुख्यालय से %1 सेकंड अलग है; समय ठीक करें</translation>
    </message>
    <message>
        <source>Your session with HQ has expired or was ended at HQ: log in again to resume sync; changes are kept until then.</source>
        <translation>मुख्यालय के साथ आपका सत्र समाप्त हो गया है या मुख्यालय ने उसे बंद कर दिया है: सिंक फिर शुरू करने के लिए दोबारा लॉगिन करें; तब तक बदलाव सुरक्षित रखे गए हैं।</translation>
    </message>
    <message>
        <source>Sign-in needed: log in again to resume sync; changes are kept until then.</source>
        <translation>लॉगिन आवश्यक: सिंक फिर शुरू करने के लिए दोबारा लॉगिन करें; तब तक बदलाव सुरक्षित रखे गए हैं।</translation>
    </message>
    <message>
        <source>HQ cannot be reached; changes are kept and will be sent when the link returns.</source>
        <translation>मुख्यालय से संपर्क नहीं हो पा रहा; बदलाव सुरक्षित हैं और कनेक्शन लौटने पर भेज दिए जाएंगे।</translation>
    </message>
    <message>
        <source>Sync was interrupted; it will retry.</source>
        <translation>सिंक बीच में रुक गया; यह फिर से प्रयास करेगा।</translation>
    </message>
    <message>
        <source>HQ refused a request; sync will retry. Tell the IT desk if this stays.</source>
        <translation>मुख्यालय ने एक अनुरोध अस्वीकार किया; सिंक फिर से प्रयास करेगा। समस्या बनी रहे तो आईटी डेस्क को बताएं।</translation>
    </message>
    <message>
        <source>The local store on this workstation failed; check free disk space and call the IT desk.</source>
        <translation>इस वर्कस्टेशन का स्थानीय डेटाबेस विफल हुआ; डिस्क में खाली जगह जाँचें और आईटी डेस्क को फ़ोन करें।</translation>
    </message>
    <message>
        <source>Sync hit an internal error; it was logged and sync will retry.</source>
        <translation>सिंक में आंतरिक त्रुटि हुई; यह लॉग में दर्ज है और सिंक फिर से प्रयास करेगा।</translation>
    </message>
    <message>
        <source>HQ&apos;s reply could not be used; nothing from it was applied. Sync will retry.</source>
        <translation>मुख्यालय का उत्तर उपयोग नहीं किया जा सका; उससे कुछ भी लागू नहीं हुआ। सिंक फिर से प्रयास करेगा।</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>कभी सिंक नहीं हुआ</translation>
    </message>
    <message numerus="yes">
        <source>Last sync %1 (%n min ago)</source>
        <translation>
            <numerusform>अंतिम सिंक %1 (%n मिनट पहले)</numerusform>
            <numerusform>अंतिम सिंक %1 (%n मिनट पहले)</numerusform>
        </translation>
    </message>
    <message>
        <source>Last sync %1</source>
        <translation>अंतिम सिंक %1</translation>
    </message>
    <message>
        <source>Free disk space</source>
        <translation>डिस्क में खाली जगह</translation>
    </message>
    <message>
        <source>⚠ Disk almost full: %1 MB free. Free space or call the IT cell before nothing can be saved.</source>
        <translation>⚠ डिस्क लगभग भर गई है: %1 MB खाली। कुछ भी सहेजा न जा सकने से पहले जगह खाली करें या आईटी सेल को बुलाएँ।</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>yes</source>
        <translation>हाँ</translation>
    </message>
    <message>
        <source>no</source>
        <translation>नहीं</translation>
    </message>
    <message>
        <source>Phone number %1</source>
        <translation>फ़ोन नंबर %1</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>स्थान</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>निर्देशांक</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>फ़ाइलें</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>प्राथमिकता</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>सारांश</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>स्रोत</translation>
    </message>
    <message>
        <source>District</source>
        <translation>ज़िला</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>सूचना</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>पाठ</translation>
    </message>
    <message>
        <source>How traced</source>
        <translation>कैसे पता लगाया</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>अधिकारी</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>टीम</translation>
    </message>
    <message>
        <source>Officer&apos;s phone</source>
        <translation>अधिकारी का फ़ोन</translation>
    </message>
    <message>
        <source>To</source>
        <translation>किसे</translation>
    </message>
    <message>
        <source>Their reference</source>
        <translation>उनका संदर्भ</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>एजेंसी</translation>
    </message>
    <message>
        <source>State</source>
        <translation>राज्य</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 मिनट</translation>
    </message>
    <message>
        <source>Expected in</source>
        <translation>पहुँचने में</translation>
    </message>
    <message>
        <source>Reached at</source>
        <translation>पहुँचने का समय</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>परिणाम</translation>
    </message>
    <message>
        <source>Why not reached</source>
        <translation>क्यों नहीं पहुँचे</translation>
    </message>
    <message>
        <source>Why a false alarm</source>
        <translation>झूठा अलार्म क्यों</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>क्या हुआ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>नोट</translation>
    </message>
    <message>
        <source>Family contacted</source>
        <translation>परिवार से संपर्क</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>रेफ़रल</translation>
    </message>
    <message>
        <source>Follow-up on</source>
        <translation>फॉलो-अप तिथि</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>नियत तिथि</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>तक</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>कारण</translation>
    </message>
    <message>
        <source>Revealed</source>
        <translation>दिखाया गया</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>बदले गए</translation>
    </message>
    <message>
        <source>What to check</source>
        <translation>क्या जाँचना है</translation>
    </message>
</context>
<context>
    <name>TimingTab</name>
    <message>
        <source>Slowest cases</source>
        <translation>सबसे धीमे केस</translation>
    </message>
    <message>
        <source>Slowest cases (double-click or Enter opens the case)</source>
        <translation>सबसे धीमे केस (डबल-क्लिक या Enter से केस खुलता है)</translation>
    </message>
    <message>
        <source>Chain timing</source>
        <translation>श्रृंखला का समय</translation>
    </message>
    <message>
        <source>Time each step took (%1)</source>
        <translation>हर चरण में लगा समय (%1)</translation>
    </message>
    <message>
        <source>minutes (log scale)</source>
        <translation>मिनट (लॉग स्केल)</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p50–p90, line to p99</source>
        <translation>p50–p90, रेखा p99 तक</translation>
    </message>
    <message>
        <source>target</source>
        <translation>लक्ष्य</translation>
    </message>
    <message>
        <source>No step reached in this period</source>
        <translation>इस अवधि में कोई चरण पूरा नहीं हुआ</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>लोड हो रहा है…</translation>
    </message>
</context>
<context>
    <name>TipBox</name>
    <message>
        <source>Tip</source>
        <translation>सूचना</translation>
    </message>
    <message>
        <source>Question to the tipster…</source>
        <translation>सूचनादाता से प्रश्न…</translation>
    </message>
    <message>
        <source>sent %1 tip(s) before</source>
        <translation>पहले %1 सूचना(एँ) भेजीं</translation>
    </message>
    <message>
        <source>first tip from this tipster</source>
        <translation>इस सूचनादाता की पहली सूचना</translation>
    </message>
    <message>
        <source>Category: %1</source>
        <translation>श्रेणी: %1</translation>
    </message>
    <message>
        <source>Tipster: %1 (%2)</source>
        <translation>सूचनादाता: %1 (%2)</translation>
    </message>
    <message>
        <source>What: %1</source>
        <translation>क्या: %1</translation>
    </message>
    <message>
        <source>Where: %1</source>
        <translation>कहाँ: %1</translation>
    </message>
    <message>
        <source>When: %1</source>
        <translation>कब: %1</translation>
    </message>
    <message>
        <source>The place is unclear: the range&apos;s DIG decides which district takes it.</source>
        <translation>स्थान स्पष्ट नहीं है: रेंज के डीआईजी तय करते हैं कि कौन सा ज़िला इसे लेगा।</translation>
    </message>
    <message>
        <source>The place is unclear: HQ decides which district takes it.</source>
        <translation>स्थान स्पष्ट नहीं: कौन सा जनपद लेगा, यह मुख्यालय तय करेगा।</translation>
    </message>
    <message>
        <source>Not confirmed by the tipster (filed when the conversation went quiet).</source>
        <translation>सूचनादाता ने पुष्टि नहीं की (बातचीत रुकने पर दर्ज हुई)।</translation>
    </message>
    <message>
        <source>No photo, voice note or video.</source>
        <translation>कोई फ़ोटो, वॉइस नोट या वीडियो नहीं।</translation>
    </message>
    <message>
        <source>SHA-256 %1</source>
        <translation>SHA-256 %1</translation>
    </message>
    <message>
        <source>Police copy: %1
Original (evidence, sealed at HQ): %2</source>
        <translation>पुलिस प्रति: %1
मूल (साक्ष्य, मुख्यालय पर सील): %2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>खोलें</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>%1 खोलें</translation>
    </message>
    <message>
        <source>The file could not be fetched from HQ: %1</source>
        <translation>फ़ाइल मुख्यालय से नहीं मिल सकी: %1</translation>
    </message>
    <message>
        <source>Tip media are kept at HQ: sign in to HQ to open them.</source>
        <translation>सूचना की फ़ाइलें मुख्यालय पर रहती हैं: खोलने के लिए मुख्यालय में साइन इन करें।</translation>
    </message>
    <message>
        <source>Question sent to HQ&apos;s tip line; the answer will appear in the timeline.</source>
        <translation>प्रश्न मुख्यालय की सूचना-लाइन को भेजा गया; उत्तर समय-रेखा में आएगा।</translation>
    </message>
    <message>
        <source>HQ did not take the question: %1</source>
        <translation>मुख्यालय ने प्रश्न नहीं लिया: %1</translation>
    </message>
    <message>
        <source>Questions go through HQ: sign in to HQ to ask.</source>
        <translation>प्रश्न मुख्यालय से जाते हैं: पूछने के लिए मुख्यालय में साइन इन करें।</translation>
    </message>
</context>
<context>
    <name>TipErrors</name>
    <message>
        <source>HQ cannot be reached now; try again in a moment.</source>
        <translation>अभी मुख्यालय से संपर्क नहीं हो पा रहा; थोड़ी देर में फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>the tipster can no longer be reached (their number was destroyed after the retention time).</source>
        <translation>सूचनादाता तक अब नहीं पहुँचा जा सकता (रखने की अवधि के बाद उसका नंबर नष्ट कर दिया गया)।</translation>
    </message>
    <message>
        <source>your role may not do this.</source>
        <translation>आपकी भूमिका में यह अनुमति नहीं है।</translation>
    </message>
    <message>
        <source>HQ does not show this tip to your account.</source>
        <translation>मुख्यालय यह सूचना आपके खाते को नहीं दिखाता।</translation>
    </message>
    <message>
        <source>HQ refused (%1).</source>
        <translation>मुख्यालय ने मना किया (%1)।</translation>
    </message>
    <message>
        <source>this PC could not save the file (%1).</source>
        <translation>यह कंप्यूटर फ़ाइल सहेज नहीं सका (%1)।</translation>
    </message>
</context>
<context>
    <name>TipNotice</name>
    <message>
        <source>New tip received (%1): open it from the queue.</source>
        <translation>नई सूचना मिली (%1): इसे कतार से खोलें।</translation>
    </message>
    <message>
        <source>%1 new tips received: open them from the queue.</source>
        <translation>%1 नई सूचनाएँ मिलीं: इन्हें कतार से खोलें।</translation>
    </message>
</context>
<context>
    <name>TipWorkBox</name>
    <message>
        <source>Pass to an officer…</source>
        <translation>अधिकारी को सौंपें…</translation>
    </message>
    <message>
        <source>Action taken…</source>
        <translation>की गई कार्रवाई…</translation>
    </message>
    <message>
        <source>Outcome…</source>
        <translation>परिणाम…</translation>
    </message>
    <message>
        <source>Officer: %1</source>
        <translation>अधिकारी: %1</translation>
    </message>
    <message>
        <source>Officer: not yet passed to an officer</source>
        <translation>अधिकारी: अभी किसी अधिकारी को नहीं सौंपा गया</translation>
    </message>
    <message>
        <source>Action %1 (%2): %3</source>
        <translation>कार्रवाई %1 (%2): %3</translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation>परिणाम: %1</translation>
    </message>
    <message>
        <source>HQ&apos;s list could not be read: %1 Choose from the officers HQ listed at %2; HQ checks the officer when this entry reaches it.</source>
        <translation>मुख्यालय की सूची नहीं पढ़ी जा सकी: %1 मुख्यालय द्वारा %2 पर दी गई सूची में से अधिकारी चुनें; यह प्रविष्टि पहुँचने पर मुख्यालय अधिकारी की जाँच करेगा।</translation>
    </message>
    <message>
        <source>HQ&apos;s list could not be read: %1 This console has no copy of it yet.</source>
        <translation>मुख्यालय की सूची नहीं पढ़ी जा सकी: %1 इस कंसोल के पास अभी इसकी कोई प्रति नहीं है।</translation>
    </message>
    <message>
        <source>this console is not signed in to HQ.</source>
        <translation>यह कंसोल मुख्यालय में साइन इन नहीं है।</translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation type="vanished">दर्ज नहीं हुआ: %1</translation>
    </message>
    <message>
        <source>The officer list could not be read from HQ: %1</source>
        <translation type="vanished">मुख्यालय से अधिकारियों की सूची नहीं पढ़ी जा सकी: %1</translation>
    </message>
    <message>
        <source>The officer list is kept at HQ: sign in to HQ to pass the tip on.</source>
        <translation type="vanished">अधिकारियों की सूची मुख्यालय में रखी जाती है: सूचना सौंपने के लिए मुख्यालय में साइन इन करें।</translation>
    </message>
</context>
<context>
    <name>Tips</name>
    <message>
        <source>%1 (seen before)</source>
        <translation>%1 (पहले भी)</translation>
    </message>
    <message>
        <source>Officers for tips</source>
        <translation>सूचनाओं के लिए अधिकारी</translation>
    </message>
    <message>
        <source>The officer list is kept by the district&apos;s SP office.</source>
        <translation>अधिकारियों की सूची ज़िले का एसपी कार्यालय रखता है।</translation>
    </message>
</context>
<context>
    <name>TipsTab</name>
    <message>
        <source>Tip line</source>
        <translation>सूचना-लाइन</translation>
    </message>
    <message>
        <source>Tips received per week</source>
        <translation>प्रति सप्ताह प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>Tips received per month</source>
        <translation>प्रति माह प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>Tips received</source>
        <translation>प्राप्त सूचनाएँ</translation>
    </message>
    <message>
        <source>No tip in this period</source>
        <translation>इस अवधि में कोई सूचना नहीं</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>लोड हो रहा है…</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
</context>
</TS>
