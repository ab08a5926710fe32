/** The dashboard's period filter, outcome figures, readiness list and laporan export. */

export const id = {
  dashPeriod: "Periode",
  dashPeriodLabels: {
    this_month: "Bulan ini",
    last_month: "Bulan lalu",
    this_year: "Tahun ini",
    all: "Sejak awal",
    custom: "Tanggal pilihan",
  } as Record<string, string>,
  dashFrom: "Dari tanggal",
  dashTo: "Sampai tanggal",
  dashShow: "Tampilkan",
  dashHeading: "Hasil: {period}",
  dashRange: "{from} s.d. {to} (WIB)",
  dashPeriodInvalid: {
    missing: "Isi tanggal (TTTT-BB-HH).",
    invalid: "Tanggal tidak valid (TTTT-BB-HH).",
    order: "Tanggal akhir sebelum tanggal awal.",
  } as Record<string, string>,
  dashStarted: "Kemitraan dimulai",
  dashStartedNote:
    "Disetujui petugas dan masih berjalan, atau berakhir dengan hasil \u201ckerja sama dimulai\u201d.",
  dashSignups: "Pendaftaran usaha",
  dashSignupsOf: "{p} sudah diterbitkan",
  dashRequestsSent: "Permintaan kemitraan dikirim",
  dashUmkmPartnered: "UMKM industri dengan mitra",
  dashUmkmPartneredOf: "{a} dari {n} UMKM industri terdaftar (saat ini)",
  dashStartedByKecamatan: "Kemitraan dimulai per kecamatan",
  dashStartedByPattern: "Kemitraan dimulai per pola",
  dashStartedByKbli: "Kemitraan dimulai per seksi KBLI",
  dashFlowsNote:
    "Pendaftaran, permintaan dan kemitraan dimulai dihitung dalam periode; jumlah usaha dihitung saat ini.",
  dashSeeAll: "Lihat semua ({n})",
  dashProvince: "Provinsi, per wilayah",
  dashProvinceNote:
    "Angka tiap wilayah dihitung di basis datanya sendiri dengan aturan yang sama; baris terakhir menjumlahkannya.",
  dashProvinceIncomplete:
    "Wilayah bertanda — tidak terhubung ke deployment ini, jadi jumlahnya belum mencakup seluruh provinsi.",
  dashShard: "Wilayah",
  dashTotal: "Jumlah",
  dashReadinessTitle: "Satu langkah lagi menuju pengadaan",
  dashReadinessIntro:
    "UMKM terbit yang sudah punya NIB tetapi belum tayang di e-Katalog (atau sebaliknya), per kecamatan lalu nama.",
  dashFirstPage: "Halaman pertama",
  dashOutside: "Luar kota",
  dashExport: "Unduh laporan",
  dashExportXlsx: "Excel (.xlsx, semua tabel)",
  dashExportCsv: "CSV per tabel:",
  dashTables: {
    summary: "ringkasan",
    kecamatan: "kecamatan",
    pattern: "pola",
    kbli: "seksi KBLI",
    readiness: "satu langkah lagi",
  } as Record<string, string>,
};

export const en: typeof id = {
  dashPeriod: "Period",
  dashPeriodLabels: {
    this_month: "This month",
    last_month: "Last month",
    this_year: "This year",
    all: "All time",
    custom: "Chosen dates",
  },
  dashFrom: "From",
  dashTo: "To",
  dashShow: "Show",
  dashHeading: "Results: {period}",
  dashRange: "{from} to {to} (WIB)",
  dashPeriodInvalid: {
    missing: "Enter a date (YYYY-MM-DD).",
    invalid: "Not a valid date (YYYY-MM-DD).",
    order: "The end date is before the start date.",
  },
  dashStarted: "Partnerships started",
  dashStartedNote:
    "Approved by an officer and running, or ended with the outcome \u201ccooperation started\u201d.",
  dashSignups: "Business sign-ups",
  dashSignupsOf: "{p} published",
  dashRequestsSent: "Partnership requests sent",
  dashUmkmPartnered: "Industry UMKM with a partner",
  dashUmkmPartneredOf: "{a} of {n} registered industry UMKM (now)",
  dashStartedByKecamatan: "Partnerships started by kecamatan",
  dashStartedByPattern: "Partnerships started by pattern",
  dashStartedByKbli: "Partnerships started by KBLI section",
  dashFlowsNote:
    "Sign-ups, requests and partnerships started count the period; business counts are as of now.",
  dashSeeAll: "See all ({n})",
  dashProvince: "Province, by shard",
  dashProvinceNote:
    "Each shard's figures are computed in its own database by the same rules; the last row sums them.",
  dashProvinceIncomplete:
    "Shards marked — are not bound to this deployment, so the totals do not cover the whole province.",
  dashShard: "Shard",
  dashTotal: "Total",
  dashReadinessTitle: "One step from procurement",
  dashReadinessIntro:
    "Published UMKM with an NIB but no e-Katalog listing (or the other way round), by kecamatan then name.",
  dashFirstPage: "First page",
  dashOutside: "Outside the city",
  dashExport: "Download the report",
  dashExportXlsx: "Excel (.xlsx, all tables)",
  dashExportCsv: "CSV per table:",
  dashTables: {
    summary: "summary",
    kecamatan: "kecamatan",
    pattern: "pattern",
    kbli: "KBLI section",
    readiness: "one step away",
  },
};
