/** The owner's email settings page (/ui/me/notifikasi). Spread into both dictionaries in ../i18n.ts. */

export const id = {
  notifyLink: "Atur email",
  notifyTitle: "Email pemberitahuan",
  notifyIntro:
    "Kami mengirim email ke alamat usaha Anda saat ada kabar. Matikan yang tidak Anda perlukan; perubahan berlaku untuk email berikutnya.",
  notifyEvents: "Kabar yang dikirim",
  notifyTopics: {
    signUpDecision: "Hasil pemeriksaan pendaftaran oleh petugas",
    incomingRequest: "Permintaan kemitraan baru untuk usaha saya",
    requestAnswered: "Jawaban atas permintaan yang saya kirim",
    officerDecision: "Keputusan petugas atas kemitraan saya",
    requestExpired: "Permintaan yang berakhir karena tidak dijawab",
    forumAgenda: "Agenda saya untuk forum kemitraan (jam, meja, mitra)",
    procurementOpportunity: "Peluang pengadaan dari pemerintah kota (paket yang bisa usaha saya pasok)",
  },
  notifyDigest: "Ringkasan saran mitra",
  notifyCadence: {
    weekly: "Mingguan (Senin pagi)",
    monthly: "Bulanan",
    off: "Tidak usah",
  },
  notifySave: "Simpan",
  notifyBack: "Kembali ke usaha saya",
};

export const en: typeof id = {
  notifyLink: "Email settings",
  notifyTitle: "Notification emails",
  notifyIntro:
    "We email your business address when there is news. Turn off what you do not need; changes apply to the next emails.",
  notifyEvents: "News we send",
  notifyTopics: {
    signUpDecision: "The officers' decision on my registration",
    incomingRequest: "New partnership requests to my business",
    requestAnswered: "Answers to requests I sent",
    officerDecision: "Officers' decisions on my partnerships",
    requestExpired: "Requests that expired unanswered",
    forumAgenda: "My agenda for a partnership forum (time, table, partner)",
    procurementOpportunity: "City procurement opportunities (packages my business could supply)",
  },
  notifyDigest: "Partner suggestion digest",
  notifyCadence: {
    weekly: "Weekly (Monday morning)",
    monthly: "Monthly",
    off: "None",
  },
  notifySave: "Save",
  notifyBack: "Back to my business",
};
