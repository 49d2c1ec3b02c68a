// Loa's newsroom: Decap CMS starts only when loa-cms.js has its configuration
// (CMS_MANUAL_INIT, https://decapcms.org/docs/manual-initialization/).
window.CMS_MANUAL_INIT = true;
