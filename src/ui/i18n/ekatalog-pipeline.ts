/** The assisted e-katalog registration pipeline (officers' board and record form, the owner's view). */

export const id = {
  pipeTitle: "Pendaftaran e-katalog yang didampingi",
  pipeIntro:
    'Tahap pendaftaran Katalog Elektronik Lokal tiap UMKM yang didampingi petugas. Tahap "Tayang" menandai usaha sudah tayang di e-katalog pada profilnya.',
  pipeNone: "Belum ada.",
  pipeFind: "Catat tahap untuk usaha (ID usaha atau NIB)",
  pipeFindButton: "Buka",
  pipeFindMissing: "Tidak ada usaha dengan ID atau NIB itu.",
  pipeOpen: "Tahap e-katalog",
  pipeRecord: "Catat tahap",
  pipeStage: "Tahap",
  pipeDate: "Tanggal (TTTT-BB-HH)",
  pipeNote: "Catatan (opsional)",
  pipeUrl: "Alamat tayang di e-katalog (opsional, untuk tahap Tayang)",
  pipeSave: "Simpan tahap",
  pipeSaved: "Tahap disimpan.",
  pipeCurrent: "Tahap sekarang",
  pipeNotRecorded: "belum",
  pipeListed: "Tayang di e-katalog (profil)",
  pipeOwnerTitle: "Pendaftaran e-katalog Anda",
  pipeOwnerIntro: "Petugas DPMPTSPNAKER mencatat kemajuan pendaftaran e-katalog yang mereka dampingi.",
  pipeBack: "Kembali ke kesiapan",
};

export const en: typeof id = {
  pipeTitle: "Assisted e-katalog registrations",
  pipeIntro:
    'The stage each UMKM\'s assisted registration in the local e-catalogue has reached. "Listed" marks the business as listed in the e-katalog on its profile.',
  pipeNone: "None yet.",
  pipeFind: "Record a stage for a business (business id or NIB)",
  pipeFindButton: "Open",
  pipeFindMissing: "No business has that id or NIB.",
  pipeOpen: "E-katalog stages",
  pipeRecord: "Record a stage",
  pipeStage: "Stage",
  pipeDate: "Date (YYYY-MM-DD)",
  pipeNote: "Note (optional)",
  pipeUrl: "Listing address in the e-katalog (optional, for Listed)",
  pipeSave: "Save stage",
  pipeSaved: "Stage saved.",
  pipeCurrent: "Current stage",
  pipeNotRecorded: "not yet",
  pipeListed: "Listed in the e-katalog (profile)",
  pipeOwnerTitle: "Your e-katalog registration",
  pipeOwnerIntro: "DPMPTSPNAKER officers record the progress of the e-katalog registration they assist.",
  pipeBack: "Back to readiness",
};
