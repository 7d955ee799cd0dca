// Express 4 and Koa 2 are installed under aliases beside Express 5 and Koa 3 so the contract runs on
// both majors; their public API is typed alike.
declare module 'express4' {
  import express = require('express');
  export = express;
}
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
