const SLACK_TOKEN = 'xoxb-2220227218-6287787002-PMDV1OLXAa7SmFuTnXFPfG15';
const stripe = require('stripe')('sk_live_ZPGicCgMMYKjicUGme9dlktq');
const session = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IlRlc3QgVXNlciJ9.hNrgh8hyBpEs9pyXz_UErxIFcuWnrb8OkOIsPBwo6hb';
// commit 3f786850e387550fdab836ed7e6dc881de23001b
