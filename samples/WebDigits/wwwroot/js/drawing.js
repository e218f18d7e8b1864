// The drawing canvas: pointer events (mouse, pen, touch), and the digit as a 32x32 bitmap in the UCI digits' way:
// the ink's bounding box scaled, aspect kept, to fill the 32x32 box and centred in it (as the NIST forms were normalized).

const bitmapSide = 32;

export function attach(canvas, dotnet) {
    const context = canvas.getContext("2d");
    let drawing = false;
    let last = null;
    let pending = false;

    const penWidth = () => canvas.width / 14;
    const position = event => {
        const box = canvas.getBoundingClientRect();
        return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
    };
    const report = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
            pending = false;
            const bitmap = toBitmap(canvas);
            if (bitmap) dotnet.invokeMethodAsync("OnBitmap", bitmap);
        });
    };
    const stroke = to => {
        context.strokeStyle = "#111";
        context.fillStyle = "#111";
        context.lineWidth = penWidth();
        context.lineCap = "round";
        context.lineJoin = "round";
        context.beginPath();
        if (last) {
            context.moveTo(last.x, last.y);
            context.lineTo(to.x, to.y);
            context.stroke();
        } else {
            context.arc(to.x, to.y, penWidth() / 2, 0, 2 * Math.PI);
            context.fill();
        }
        last = to;
        report();
    };

    canvas.addEventListener("pointerdown", event => {
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        drawing = true;
        last = null;
        stroke(position(event));
    });
    canvas.addEventListener("pointermove", event => {
        if (!drawing) return;
        event.preventDefault();
        for (const e of event.getCoalescedEvents ? event.getCoalescedEvents() : [event]) stroke(position(e));
    });
    const end = () => { drawing = false; last = null; };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
}

export function clear(canvas) {
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
}

// The ink as 32x32 bytes, row by row, 1 where a pixel is set; null when nothing is drawn.
function toBitmap(canvas) {
    const { width, height } = canvas;
    const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let left = width, right = -1, top = height, bottom = -1;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            if (pixels[(y * width + x) * 4 + 3] > 0) {
                if (x < left) left = x;
                if (x > right) right = x;
                if (y < top) top = y;
                if (y > bottom) bottom = y;
            }
        }
    }
    if (right < 0) return null;
    const inkWidth = right - left + 1, inkHeight = bottom - top + 1;
    const scale = bitmapSide / Math.max(inkWidth, inkHeight);
    const small = document.createElement("canvas");
    small.width = small.height = bitmapSide;
    const smallContext = small.getContext("2d", { willReadFrequently: true });
    smallContext.imageSmoothingEnabled = true;
    smallContext.imageSmoothingQuality = "high";
    const drawnWidth = inkWidth * scale, drawnHeight = inkHeight * scale;
    smallContext.drawImage(canvas, left, top, inkWidth, inkHeight,
        (bitmapSide - drawnWidth) / 2, (bitmapSide - drawnHeight) / 2, drawnWidth, drawnHeight);
    const smallPixels = smallContext.getImageData(0, 0, bitmapSide, bitmapSide).data;
    const bitmap = new Uint8Array(bitmapSide * bitmapSide);
    for (let i = 0; i < bitmap.length; i++) bitmap[i] = smallPixels[i * 4 + 3] >= 96 ? 1 : 0;
    return bitmap;
}

// A grid of values in [0, 1], row by row from the top, painted from blue (0) to orange (1): the XOR decision boundary.
export function paintGrid(canvas, values, side) {
    const context = canvas.getContext("2d");
    const cell = canvas.width / side;
    for (let row = 0; row < side; row++) {
        for (let column = 0; column < side; column++) {
            const v = values[row * side + column];
            const r = Math.round(60 + 195 * v), g = Math.round(110 + 50 * v), b = Math.round(230 - 190 * v);
            context.fillStyle = `rgb(${r},${g},${b})`;
            context.fillRect(column * cell, row * cell, Math.ceil(cell), Math.ceil(cell));
        }
    }
}
