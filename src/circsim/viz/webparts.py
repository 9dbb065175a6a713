"""Three small browser-side parts Solara lacks: keys, a file picker, charts to PNG.

Why in the browser: keyboard shortcuts and choosing a local file only exist there, and
a PNG of the charts is best made from the very SVGs on screen (the browser draws them
onto a canvas), with no image library on the server. Each is an ipyvue template whose
JavaScript only reports to Python through a synced trait.
"""

from __future__ import annotations

import ipyvuetify as v
import traitlets

KEYS = (" ", "ArrowRight", "ArrowLeft", "n", "N", "b", "B", "s", "S", "PageDown", "PageUp",
        "Escape")


class KeyListener(v.VuetifyTemplate):
    """Reports each shortcut key pressed in the page as ``key|time`` in ``key``."""

    key = traitlets.Unicode("").tag(sync=True)
    shortcuts = traitlets.List(list(KEYS)).tag(sync=True)
    template = traitlets.Unicode("""
<template><span class="circsim-keys" style="display:none"></span></template>
<script>
module.exports = {
  mounted() {
    this.handler = (e) => {
      const t = e.target;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable ||
                (t.getAttribute && t.getAttribute('role') === 'slider'))) return;
      if (!this.shortcuts.includes(e.key)) return;
      e.preventDefault();
      this.key = e.key + '|' + Date.now();
    };
    document.addEventListener('keydown', this.handler);
  },
  destroyed() { document.removeEventListener('keydown', this.handler); }
}
</script>""").tag(sync=True)


class FilePicker(v.VuetifyTemplate):
    """A button that opens the browser's file chooser; the chosen text lands in ``file``."""

    label = traitlets.Unicode("").tag(sync=True)
    btn_class = traitlets.Unicode("").tag(sync=True)
    file = traitlets.Dict({}).tag(sync=True)
    template = traitlets.Unicode("""
<template>
  <span :class="btn_class">
    <v-btn outlined small @click="$refs.input.click()">
      <v-icon left>mdi-folder-open</v-icon>{{ label }}</v-btn>
    <input ref="input" type="file" accept=".yaml,.yml,text/yaml" style="display:none"
           @change="pick">
  </span>
</template>
<script>
module.exports = {
  methods: {
    pick(e) {
      const f = e.target.files[0];
      if (!f) return;
      f.text().then(text => {
        this.file = {name: f.name, text: text, at: Date.now()};
        e.target.value = '';
      });
    }
  }
}
</script>""").tag(sync=True)


class PngSaver(v.VuetifyTemplate):
    """A button that draws every SVG under ``selector`` into one PNG and downloads it."""

    label = traitlets.Unicode("").tag(sync=True)
    btn_class = traitlets.Unicode("").tag(sync=True)
    selector = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("circsim-charts.png").tag(sync=True)
    template = traitlets.Unicode("""
<template>
  <v-btn outlined small :class="btn_class" @click="save">
    <v-icon left>mdi-image</v-icon>{{ label }}</v-btn>
</template>
<script>
module.exports = {
  methods: {
    save() {
      const width = 1200, gap = 16;
      const svgs = [...document.querySelectorAll(this.selector)];
      const parts = svgs.map(s => {
        const box = s.viewBox && s.viewBox.baseVal && s.viewBox.baseVal.width ?
          s.viewBox.baseVal : s.getBoundingClientRect();
        const clone = s.cloneNode(true);
        clone.setAttribute('width', box.width); clone.setAttribute('height', box.height);
        clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
        return {text: new XMLSerializer().serializeToString(clone),
                h: width * box.height / box.width};
      });
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = Math.max(1, parts.reduce((a, p) => a + p.h + gap, gap));
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
      const load = p => new Promise(done => {
        const img = new Image();
        img.onload = () => done(img); img.onerror = () => done(null);
        img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(p.text);
      });
      Promise.all(parts.map(load)).then(images => {
        let y = gap;
        images.forEach((img, i) => {
          if (img) ctx.drawImage(img, 0, y, width, parts[i].h);
          y += parts[i].h + gap;
        });
        canvas.toBlob(blob => {
          const a = document.createElement('a');
          a.href = URL.createObjectURL(blob); a.download = this.filename;
          document.body.appendChild(a); a.click(); a.remove();
        }, 'image/png');
      });
    }
  }
}
</script>""").tag(sync=True)
