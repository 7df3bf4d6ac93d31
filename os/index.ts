/**
 * Your business's AI OS definition. On a fresh clone it is the worked example
 * (Kestrel Coffee Co., in examples/kestrel-coffee/), so `npm start` runs
 * something real. Make it yours with `npx aios init --force`, which writes a
 * small working start here, or write your own `defineOs({...})`.
 */
export { default } from '../examples/kestrel-coffee';
