// Public pages are read over slow links: they ship no JavaScript, and their forms post without it.
export const csr = false;
