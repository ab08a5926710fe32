/** Trades of a small varied test registry: [KBLI 2020 code, offers, needs], and places. */
export const KELURAHAN = [
  "Miji",
  "Kranggan",
  "Wates",
  "Meri",
  "Balongsari",
  "Magersari",
  "Kedundung",
  "Blooto",
];
export const INDUSTRY_TRADES = [
  ["10792", "Onde-onde dan kue basah pesanan", "Pelanggan katering dan toko oleh-oleh"],
  ["15201", "Produksi sepatu kulit dan sandal untuk grosir", "Butuh toko dan distributor untuk alas kaki"],
  ["10710", "Roti tawar dan roti manis setiap pagi", "Warung kopi dan kantin sekolah sebagai pelanggan"],
  ["13921", "Jahit seragam sekolah dan kantor", "Toko pakaian dan pemasok kain"],
  ["10750", "Keripik tempe dan sambal pecel kemasan", "Toko oleh-oleh dan minimarket"],
  ["31001", "Meja dan kursi kayu jati", "Toko mebel dan kantor"],
] as const;
export const SERVICE_TRADES = [
  ["56210", "Katering nasi kotak untuk acara kantor", "Pemasok kue basah dan onde-onde"],
  ["47711", "Toko alas kaki dan pakaian di pusat kota", "Mencari pemasok sepatu dan sandal lokal"],
  ["56303", "Warung kopi dan sarapan", "Pemasok roti dan kue setiap pagi"],
  ["47719", "Toko seragam sekolah", "Penjahit seragam dan konveksi"],
  ["47211", "Toko oleh-oleh khas Mojokerto", "Pemasok keripik, sambal dan kue kering"],
  ["55110", "Hotel kecil dekat alun-alun", "Pemasok roti, meja kayu dan seragam karyawan"],
] as const;
