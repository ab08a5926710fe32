import type { PartnershipOutcome } from "../../domain/partnership";

/**
 * The owner's page (/ui/me): what waits for the owner first, suggestions with a short "why",
 * feedback in the card acted on. Spread into both dictionaries by src/ui/i18n.ts.
 */
const id = {
  ownerWaiting: "Menunggu jawaban Anda",
  ownerOpen: "Permintaan dan kemitraan Anda",
  ownerSuggestions: "Saran mitra untuk Anda",
  ownerNoSuggestions: "Belum ada saran. Saran diperbarui saat ada usaha baru yang cocok.",
  ownerHistory: "Riwayat ({n})",
  ownerWantsPartnership: "Mengajak kerja sama: ",
  ownerSuggestedPattern: "disarankan",
  ownerOtherPatterns: "Bentuk kerja sama lainnya",
  ownerPatternLegend: "Bentuk kerja sama",
  ownerMessageOptional: "Pesan (opsional)",
  ownerSendRequest: "Kirim permintaan",
  ownerDetails: "Rincian",
  ownerKbliCodes: "Kode KBLI",
  ownerPatternSource: "Dasar: {a}",
  ownerDeclineConfirm:
    "{name} tidak akan disarankan lagi dan kalian tidak bisa saling mengajukan kemitraan. Anda bisa membatalkannya setelah ini.",
  ownerDeclineYes: "Ya, tidak berminat",
  ownerRefuse: "Tolak",
  ownerRefuseConfirm:
    "Permintaan {name} ditolak dan {name} tidak akan disarankan lagi kepada Anda. Lanjutkan?",
  ownerRefuseYes: "Ya, tolak permintaan",
  ownerUndo: "Batalkan",
  ownerCancelRequest: "Batalkan permintaan",
  ownerOutcomeQuestion: "Bagaimana hasilnya?",
  ownerOutcomeChoose: "Pilih hasilnya",
  ownerEndButton: "Akhiri kemitraan",
  ownerEndHelp:
    "Akhiri bila kemitraan lewat Kemitraan ini sudah selesai. Jawaban Anda membantu saran berikutnya.",
  ownerDeclinedList: "Tidak berminat ({n})",
  ownerDeclinedListHelp:
    "Usaha yang Anda tandai tidak berminat. Batalkan untuk menampilkannya lagi di saran.",
  sizeWords: {
    mikro: "Usaha mikro",
    kecil: "Usaha kecil",
    menengah: "Usaha menengah",
    besar: "Usaha besar",
  } as Record<string, string>,
  /** The state of an open request or partnership, in the owner's words. */
  ownerState: {
    requested_mine: "Menunggu jawaban mereka",
    accepted_mine: "Mereka setuju · menunggu persetujuan petugas",
    accepted_theirs: "Anda setuju · menunggu persetujuan petugas",
    active: "Kemitraan berjalan",
  } as Record<string, string>,
  /** A closed request or partnership in one line. */
  ownerClosed: {
    declined_mine: "Mereka tidak berminat",
    declined_theirs: "Anda menolak permintaan ini",
    cancelled: "Permintaan dibatalkan",
    rejected: "Tidak disetujui petugas",
    expired: "Kedaluwarsa tanpa jawaban",
  } as Record<string, string>,
  /** How an ended partnership reads, per outcome. */
  ownerEnded: {
    cooperation_started: "Selesai · kerja sama sudah berjalan",
    useful_no_cooperation: "Selesai · bermanfaat, tetapi belum ada kerja sama",
    insufficient_interest: "Selesai · minat kurang",
    did_not_take_place: "Selesai · kerja sama tidak terlaksana",
  } satisfies Record<PartnershipOutcome, string> as Record<string, string>,
  /** The end form's choices. */
  ownerOutcomeOptions: {
    cooperation_started: "Kerja sama sudah berjalan",
    useful_no_cooperation: "Bermanfaat, tetapi tanpa kerja sama",
    insufficient_interest: "Minat salah satu pihak kurang",
    did_not_take_place: "Tidak jadi terlaksana",
  } satisfies Record<PartnershipOutcome, string> as Record<string, string>,
  /** The message in the card acted on, after the redirect. */
  ownerDone: {
    requested: "Permintaan terkirim ke {name}. Anda akan melihat jawabannya di sini.",
    accepted: "Anda menerima permintaan {name}. Petugas akan meninjau kemitraan ini.",
    declined: "Anda menolak permintaan {name}.",
    cancelled: "Permintaan ke {name} dibatalkan.",
    ended: "Kemitraan dengan {name} diakhiri. Terima kasih atas jawabannya.",
    notInterested: "{name} tidak akan disarankan lagi.",
    undone: "{name} kembali ke saran Anda.",
  } as Record<string, string>,
  ownerEndNeedsOutcome: "Pilih hasil kemitraan terlebih dulu.",
};

const en: typeof id = {
  ownerWaiting: "Waiting for your answer",
  ownerOpen: "Your requests and partnerships",
  ownerSuggestions: "Partners suggested for you",
  ownerNoSuggestions: "No suggestions yet. They are updated when a new fitting business joins.",
  ownerHistory: "History ({n})",
  ownerWantsPartnership: "Proposes: ",
  ownerSuggestedPattern: "suggested",
  ownerOtherPatterns: "Other kinds of partnership",
  ownerPatternLegend: "Kind of partnership",
  ownerMessageOptional: "Message (optional)",
  ownerSendRequest: "Send request",
  ownerDetails: "Details",
  ownerKbliCodes: "KBLI codes",
  ownerPatternSource: "Basis: {a}",
  ownerDeclineConfirm:
    "{name} will not be suggested again and neither of you can request the other. You can undo this right after.",
  ownerDeclineYes: "Yes, not interested",
  ownerRefuse: "Decline",
  ownerRefuseConfirm: "{name}'s request is declined and {name} will not be suggested to you again. Go on?",
  ownerRefuseYes: "Yes, decline the request",
  ownerUndo: "Undo",
  ownerCancelRequest: "Cancel request",
  ownerOutcomeQuestion: "How did it go?",
  ownerOutcomeChoose: "Choose the outcome",
  ownerEndButton: "End partnership",
  ownerEndHelp: "End it once the partnership made here is over. Your answer improves the next suggestions.",
  ownerDeclinedList: "Not interested ({n})",
  ownerDeclinedListHelp: "Businesses you marked not interested. Undo to see them in suggestions again.",
  sizeWords: {
    mikro: "Micro business",
    kecil: "Small business",
    menengah: "Medium business",
    besar: "Large business",
  },
  ownerState: {
    requested_mine: "Waiting for their answer",
    accepted_mine: "They agreed · waiting for an officer's approval",
    accepted_theirs: "You agreed · waiting for an officer's approval",
    active: "Partnership under way",
  },
  ownerClosed: {
    declined_mine: "They are not interested",
    declined_theirs: "You declined this request",
    cancelled: "Request cancelled",
    rejected: "Not approved by an officer",
    expired: "Expired without an answer",
  },
  ownerEnded: {
    cooperation_started: "Ended · the cooperation is under way",
    useful_no_cooperation: "Ended · useful, but no cooperation yet",
    insufficient_interest: "Ended · not enough interest",
    did_not_take_place: "Ended · it did not take place",
  },
  ownerOutcomeOptions: {
    cooperation_started: "The cooperation is under way",
    useful_no_cooperation: "Useful, but no cooperation",
    insufficient_interest: "One side was not interested enough",
    did_not_take_place: "It did not take place",
  },
  ownerDone: {
    requested: "Request sent to {name}. You will see their answer here.",
    accepted: "You accepted {name}'s request. An officer will review the partnership.",
    declined: "You declined {name}'s request.",
    cancelled: "Request to {name} cancelled.",
    ended: "Partnership with {name} ended. Thank you for the answer.",
    notInterested: "{name} will not be suggested again.",
    undone: "{name} is back in your suggestions.",
  },
  ownerEndNeedsOutcome: "Choose how the partnership went first.",
};

export const ownerStrings = { id, en };
