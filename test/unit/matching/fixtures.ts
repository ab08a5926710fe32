import type { MatchProfile } from "../../../src/matching";

const mojokerto = (kelurahan: string, kecamatan: string, lat: number, lng: number) => ({
  kelurahan,
  kecamatan,
  city: "Kota Mojokerto",
  lat,
  lng,
});

export function profile(p: Partial<MatchProfile> & Pick<MatchProfile, "id" | "sector">): MatchProfile {
  return {
    kbli: [],
    sizeClass: "mikro",
    location: mojokerto("Miji", "Kranggan", -7.4757, 112.4345),
    offers: "",
    needs: "",
    maxPartners: 3,
    ...p,
  };
}

export const warung = profile({
  id: "s-warung",
  name: "Warung Penyetan Bu Sri",
  sector: "service",
  kbli: [{ code: "56102", version: "2020" }],
  offers: "Warung penyetan ayam dan lele, 150 porsi sehari",
  needs: "Tahu dan tempe tiap pagi, krupuk kiloan",
});

export const tahu = profile({
  id: "i-tahu",
  name: "Tahu Takwa Pak Slamet",
  sector: "industry",
  kbli: [{ code: "10392", version: "2020" }],
  location: mojokerto("Pulorejo", "Prajuritkulon", -7.4634, 112.4205),
  offers: "Tahu putih dan tahu kuning, antar pagi",
  needs: "Pelanggan tetap warung makan dan katering",
});

export const shoes = profile({
  id: "i-shoes",
  name: "Sepatu Pantofel Miji",
  sector: "industry",
  kbli: [{ code: "15201", version: "2020" }],
  offers: "Produksi sepatu pantofel kulit",
  needs: "Toko sepatu yang ambil rutin, kardus sepatu",
});

export const hotel = profile({
  id: "s-hotel",
  name: "Grand Hotel",
  sector: "service",
  kbli: [{ code: "55110", version: "2020" }],
  sizeClass: "besar",
  location: mojokerto("Gedongan", "Magersari", -7.4624, 112.4386),
  offers: "4-star hotel with 120 rooms and a ballroom",
  needs: "Guest slippers and amenities with our logo, staff uniforms",
  maxPartners: 10,
});
