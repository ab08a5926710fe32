/** Test fixtures read as text through Vite's `?raw` suffix (workerd has no file system). */
declare module "*.csv?raw" {
  const text: string;
  export default text;
}
