package io.peerwarden.testing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Reads back the QR codes Peerwarden draws. They are pure barcodes (nothing but the code and its
 * margin), so they are decoded as such: zxing's general detector, which looks for the code in a
 * photo, misses some random key material's codes now and then and made tests flaky.
 */
public final class QrImages {

    private QrImages() {
    }

    public static String decode(byte[] png) throws IOException {
        return decode(ImageIO.read(new ByteArrayInputStream(png)));
    }

    public static String decode(BufferedImage image) {
        try {
            BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
            Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
            if (result.getBarcodeFormat() != BarcodeFormat.QR_CODE) {
                throw new AssertionError("not a QR code: " + result.getBarcodeFormat());
            }
            return result.getText();
        } catch (com.google.zxing.ReaderException e) {
            throw new AssertionError("the image holds no readable QR code", e);
        }
    }
}
