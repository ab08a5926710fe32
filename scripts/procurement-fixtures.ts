/**
 * `npx tsx scripts/procurement-fixtures.ts`: writes the generated test data of the procurement area
 * (test/fixtures/procurement/): a RUP for one city year (Kota Mojokerto 2026, ~20 OPD, a few
 * hundred packages, SiRUP's columns) and a realisation file for the packages selected by
 * September. Deterministic (a seeded generator). The budget mix and its sources: the README there.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { MONTHS } from "../src/email/format";
import { writeCsv } from "../src/lib/csv";

const OUT = "test/fixtures/procurement";

const OPD = [
  "Sekretariat Daerah",
  "Sekretariat DPRD",
  "Inspektorat",
  "Bappeda",
  "Badan Keuangan Daerah",
  "BKPSDM",
  "Dinas Pendidikan dan Kebudayaan",
  "Dinas Kesehatan",
  "RSUD dr. Wahidin Sudiro Husodo",
  "Dinas PUPR",
  "Dinas Lingkungan Hidup",
  "Dinas Kependudukan dan Pencatatan Sipil",
  "Dinas Sosial",
  "DPMPTSPNAKER",
  "Dinas Koperasi, UKM, Perindustrian dan Perdagangan",
  "Dinas Pertanian dan Ketahanan Pangan",
  "Dinas Komunikasi dan Informatika",
  "Satpol PP",
  "Kecamatan Prajurit Kulon",
  "Kecamatan Magersari",
  "Kecamatan Kranggan",
];

/** [name, type, method, min pagu, max pagu, which OPD (all | list)] */
type Template = [string, string, string, number, number, "all" | string[]];
const T: Template[] = [
  ["Belanja makanan dan minuman rapat", "Barang", "Pengadaan Langsung", 15e6, 150e6, "all"],
  ["Belanja alat tulis kantor", "Barang", "E-Purchasing", 10e6, 120e6, "all"],
  ["Belanja cetak dan penggandaan", "Barang", "Pengadaan Langsung", 8e6, 80e6, "all"],
  ["Belanja makanan dan minuman kegiatan sosialisasi", "Barang", "Pengadaan Langsung", 10e6, 90e6, "all"],
  ["Pemeliharaan gedung kantor", "Pekerjaan Konstruksi", "Pengadaan Langsung", 50e6, 195e6, "all"],
  ["Belanja bahan pembersih dan alat kebersihan", "Barang", "E-Purchasing", 5e6, 40e6, "all"],
  [
    "Pengadaan seragam batik pegawai",
    "Barang",
    "Pengadaan Langsung",
    40e6,
    190e6,
    [
      "Sekretariat Daerah",
      "Dinas Pendidikan dan Kebudayaan",
      "Dinas Kesehatan",
      "RSUD dr. Wahidin Sudiro Husodo",
      "DPMPTSPNAKER",
      "Kecamatan Magersari",
    ],
  ],
  [
    "Pengadaan pakaian dinas lapangan",
    "Barang",
    "Pengadaan Langsung",
    80e6,
    190e6,
    ["Satpol PP", "Dinas Lingkungan Hidup", "Dinas PUPR"],
  ],
  [
    "Pengadaan sepatu dinas",
    "Barang",
    "Pengadaan Langsung",
    30e6,
    120e6,
    ["Satpol PP", "Dinas Lingkungan Hidup", "Sekretariat Daerah"],
  ],
  [
    "Belanja cinderamata dan plakat",
    "Barang",
    "Pengadaan Langsung",
    10e6,
    60e6,
    [
      "Sekretariat Daerah",
      "Sekretariat DPRD",
      "Dinas Koperasi, UKM, Perindustrian dan Perdagangan",
      "DPMPTSPNAKER",
    ],
  ],
  [
    "Pengadaan meubelair kantor",
    "Barang",
    "E-Purchasing",
    50e6,
    400e6,
    ["Dinas Pendidikan dan Kebudayaan", "Kecamatan Prajurit Kulon", "Kecamatan Kranggan", "Bappeda"],
  ],
  [
    "Jasa kebersihan gedung",
    "Jasa Lainnya",
    "Tender",
    300e6,
    1.2e9,
    ["Sekretariat Daerah", "RSUD dr. Wahidin Sudiro Husodo", "Dinas Kesehatan"],
  ],
  [
    "Jasa keamanan gedung",
    "Jasa Lainnya",
    "Tender",
    300e6,
    900e6,
    ["Sekretariat Daerah", "RSUD dr. Wahidin Sudiro Husodo"],
  ],
  ["Belanja makan minum pasien", "Barang", "Tender", 1.2e9, 3.5e9, ["RSUD dr. Wahidin Sudiro Husodo"]],
  [
    "Belanja obat dan bahan medis habis pakai",
    "Barang",
    "E-Purchasing",
    800e6,
    6e9,
    ["RSUD dr. Wahidin Sudiro Husodo", "Dinas Kesehatan"],
  ],
  [
    "Pengadaan alat kesehatan",
    "Barang",
    "E-Purchasing",
    500e6,
    4e9,
    ["RSUD dr. Wahidin Sudiro Husodo", "Dinas Kesehatan"],
  ],
  [
    "Pengadaan laptop dan komputer",
    "Barang",
    "E-Purchasing",
    100e6,
    800e6,
    [
      "Dinas Komunikasi dan Informatika",
      "Badan Keuangan Daerah",
      "Dinas Pendidikan dan Kebudayaan",
      "BKPSDM",
    ],
  ],
  [
    "Pengadaan kendaraan dinas operasional",
    "Barang",
    "E-Purchasing",
    300e6,
    1.5e9,
    ["Sekretariat Daerah", "Satpol PP", "Dinas Lingkungan Hidup"],
  ],
  [
    "Pembangunan dan rehabilitasi saluran drainase",
    "Pekerjaan Konstruksi",
    "Tender",
    500e6,
    6e9,
    ["Dinas PUPR"],
  ],
  ["Rehabilitasi jalan lingkungan", "Pekerjaan Konstruksi", "Tender", 400e6, 8e9, ["Dinas PUPR"]],
  [
    "Rehabilitasi gedung sekolah",
    "Pekerjaan Konstruksi",
    "Tender",
    400e6,
    3e9,
    ["Dinas Pendidikan dan Kebudayaan"],
  ],
  [
    "Jasa konsultansi perencanaan teknis",
    "Jasa Konsultansi",
    "Seleksi",
    60e6,
    600e6,
    ["Dinas PUPR", "Dinas Pendidikan dan Kebudayaan", "Bappeda"],
  ],
  [
    "Sewa tenda dan sound system kegiatan",
    "Jasa Lainnya",
    "Pengadaan Langsung",
    15e6,
    150e6,
    [
      "Sekretariat Daerah",
      "Dinas Koperasi, UKM, Perindustrian dan Perdagangan",
      "Kecamatan Prajurit Kulon",
      "Kecamatan Magersari",
      "Kecamatan Kranggan",
    ],
  ],
  [
    "Jasa dokumentasi dan publikasi kegiatan",
    "Jasa Lainnya",
    "Pengadaan Langsung",
    10e6,
    80e6,
    ["Dinas Komunikasi dan Informatika", "Sekretariat DPRD"],
  ],
  [
    "Belanja bibit tanaman dan pupuk",
    "Barang",
    "Pengadaan Langsung",
    20e6,
    180e6,
    ["Dinas Pertanian dan Ketahanan Pangan", "Dinas Lingkungan Hidup"],
  ],
  [
    "Belanja snack dan kue pelatihan UMKM",
    "Barang",
    "Pengadaan Langsung",
    10e6,
    60e6,
    ["Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "DPMPTSPNAKER", "Dinas Sosial"],
  ],
  [
    "Belanja langganan internet",
    "Jasa Lainnya",
    "E-Purchasing",
    60e6,
    400e6,
    ["Dinas Komunikasi dan Informatika"],
  ],
];
const FUNDS = ["APBD", "APBD", "APBD", "BLUD", "DAK", "DBHCHT"];

let seed = 20260101;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
const roundTo = (x: number, step: number) => Math.round(x / step) * step;

const SUPPLIERS_SMALL = [
  "CV Sekar Arum",
  "UD Sumber Rejeki",
  "Katering Bu Siti",
  "Konveksi Mitra Jaya",
  "Batik Gunung Gedangan",
  "Toko ATK Sinar",
  "Percetakan Mojo Grafika",
  "CV Bangun Karya",
  "Koperasi Jasa Sejahtera",
  "Mebel Jati Mojo",
  "Sepatu Kulit Miji",
  "Souvenir Majapahit",
];
const SUPPLIERS_LARGE = [
  "PT Medika Nusantara",
  "PT Karya Beton Jatim",
  "PT Sarana Komputindo",
  "PT Astra Motor Jatim",
  "PT Graha Bersih Indonesia",
  "PT Telkom Indonesia",
];

const rup: Array<Array<string | number>> = [
  [
    "Kode RUP",
    "Nama Paket",
    "Satuan Kerja",
    "Pagu",
    "Metode Pemilihan",
    "Jenis Pengadaan",
    "Sumber Dana",
    "Waktu Pemilihan",
  ],
];
const rls: Array<Array<string | number>> = [
  [
    "Nama Paket",
    "Satuan Kerja",
    "Nama Penyedia",
    "NIB",
    "Nilai Realisasi",
    "Tanggal",
    "Jalur",
    "Jenis Pengadaan",
    "Kualifikasi Usaha",
  ],
];
let code = 41_000_001;
for (const opd of OPD) {
  for (const [name, type, method, min, max, who] of T) {
    if (who !== "all" && !who.includes(opd)) continue;
    // Offices buy the everyday things more than once a year (each quarter's meetings, say).
    const times = who === "all" && type === "Barang" && rand() < 0.5 ? 2 : 1;
    for (let k = 0; k < times; k++) {
      const pagu = roundTo(min + rand() * (max - min), 500_000);
      const m = Math.floor(rand() * 12);
      const label = times > 1 ? `${name} ${k === 0 ? "semester I" : "semester II"}` : name;
      const month = times > 1 ? (k === 0 ? Math.min(m, 5) : Math.max(m, 6)) : m;
      const id = String(code++);
      rup.push([
        id,
        label,
        opd,
        pagu,
        method,
        type,
        opd.startsWith("RSUD") ? "BLUD" : pick(FUNDS),
        `${MONTHS.id[month]} 2026`,
      ]);
      // Realised by the end of September: the packages selected by August.
      if (month <= 7 && rand() < 0.85) {
        const big = pagu > 1e9 || type === "Pekerjaan Konstruksi" ? rand() < 0.6 : rand() < 0.25;
        const supplier = big ? pick(SUPPLIERS_LARGE) : pick(SUPPLIERS_SMALL);
        const q = big
          ? pick(["Non Kecil", "Menengah", "Besar"])
          : pick(["Mikro", "Kecil", "Kecil", "Koperasi"]);
        const channel =
          method === "E-Purchasing"
            ? "E-Katalog"
            : method === "Tender" || method === "Seleksi"
              ? "Tender"
              : "Pengadaan Langsung";
        const day = 1 + Math.floor(rand() * 27);
        rls.push([
          label,
          opd,
          supplier,
          "",
          roundTo(pagu * (0.85 + rand() * 0.14), 1000),
          `2026-${String(Math.min(month + 1, 9)).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
          channel,
          type,
          q,
        ]);
      }
    }
  }
}
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/rup-2026.csv`, writeCsv(rup));
writeFileSync(`${OUT}/realisasi-2026.csv`, writeCsv(rls));
const total = rup.slice(1).reduce((n, r) => n + Number(r[3]), 0);
const byType = new Map<string, number>();
for (const r of rup.slice(1)) byType.set(String(r[5]), (byType.get(String(r[5])) ?? 0) + Number(r[3]));
console.log(
  `${rup.length - 1} packages, ${OPD.length} OPD, pagu Rp${total.toLocaleString("id-ID")}; ${rls.length - 1} realised rows`,
);
for (const [k, v] of byType) console.log(`  ${k}: ${((v / total) * 100).toFixed(1)}%`);
