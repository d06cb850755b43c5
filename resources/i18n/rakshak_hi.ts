<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi">
<context>
    <name>ActionForm</name>
    <message>
        <source>Form message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (keeps draft)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the form and keep the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decimal number, e.g. 26.8467</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the entry to correct.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change at least one field of the entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft restored: nothing you typed was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft saved on this workstation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please fill in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the local store failed (%1). Your draft is kept.</source>
        <translation type="unfinished"></translation>
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
        <source>Open case</source>
        <translation>केस खोलें</translation>
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
    <name>DetailPane</name>
    <message>
        <source>Case</source>
        <translation type="unfinished">केस</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probable location (from the alert)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traced location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a case in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case&apos;s details have not reached this workstation yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(name not known)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatched: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded: %1 (ref %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counselled by %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone number %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal (audited)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal phone number %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>En route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suicide risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe, counselled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed to family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hospitalised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location could not be traced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone switched off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person is in another state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>112 emergency response (ERSS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another state&apos;s police</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counselling service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone tower (CDR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location traced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counselling note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm muted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact revealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocationBox</name>
    <message>
        <source>coordinates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy coordinates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation type="unfinished"></translation>
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
    <name>NoAudioWarning</name>
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
    <name>QueueModel</name>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Police station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>HQ refused %n change(s); open the case to see why</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(removed: case moved out of this district)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>refused (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>pending (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>synced</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Filter by status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by police station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All police stations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, phone, reference, post text  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RefusedDialog</name>
    <message>
        <source>Changes HQ refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ did not accept these entries. They are kept here and left out of the case. Open the case and record the entry again, corrected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Connection to HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes refused by HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Login needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● HQ error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Offline — working locally</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to send</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>All sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n refused by HQ…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>⚠ This PC&apos;s clock is off by %1 s from HQ; fix the time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last sync %1 (%n min ago)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Last sync %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
