namespace Keel.Core.Monitoring.Statistics;

internal static partial class KolmogorovDistribution
{
    private const int ScaleExponent = 128;
    private static readonly double ScaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double ScaleDown = Math.ScaleB(1.0, -ScaleExponent);

    /// <summary>
    /// P(D_n ≤ d) by Durbin's matrix: the (k,k) entry of H^n times n!/n^n, with H of order 2k − 1 for k = ⌈nd⌉.
    /// Powers are rescaled by 2^128 as they grow and the exponent is carried separately.
    /// </summary>
    private static double DurbinMatrix(long n, double d)
    {
        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;
        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * fac;
        }

        v[m - 1] = (1.0 + Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m)) * fac;
        var hm = new double[m, m];
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                hm[r, i] = w[r - i + 1];
            }
        }

        for (var r = 0; r < m; r++)
        {
            hm[r, 0] = v[r];
            hm[m - 1, r] = v[m - 1 - r];
        }

        var power = Identity(m);
        long exponent = 0, hExponent = 0;
        for (var nn = n; nn > 0; nn /= 2)
        {
            if (nn % 2 == 1)
            {
                power = Multiply(power, hm);
                exponent += hExponent;
            }

            hm = Multiply(hm, hm);
            hExponent *= 2;
            if (Math.Abs(hm[k - 1, k - 1]) > ScaleUp)
            {
                Scale(hm, ScaleDown);
                hExponent += ScaleExponent;
            }
        }

        var p = power[k - 1, k - 1];
        for (long i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < ScaleDown)
            {
                p *= ScaleUp;
                exponent -= ScaleExponent;
            }
        }

        return Math.Clamp(Math.ScaleB(p, (int)exponent), 0, 1);
    }

    /// <summary>P(D_n ≤ x) by Pomeranz's recursion over 2n + 2 rows of convolutions with powers of g/n, 2g/n, (1 − 2g)/n.</summary>
    private static double Pomeranz(long n, double x)
    {
        var t = n * x;
        var ll = (long)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = (int)(2 * (ll + 1));
        var gPower = new double[npwrs];
        var twoGPower = new double[npwrs];
        var oneMinusTwoGPower = new double[npwrs];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        for (var m = 1; m < npwrs; m++)
        {
            gPower[m] = gPower[m - 1] * (g / n) / m;
            twoGPower[m] = twoGPower[m - 1] * (2 * g / n) / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / n) / m;
        }

        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        v1[0] = 1;
        long v0s = 0, v1s = 0, exponent = 0;
        var (j1, j2) = PomeranzRow(0, n, ll, ceilf, roundf);
        for (long i = 1; i < 2 * n + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, j2) = PomeranzRow(i, n, ll, ceilf, roundf);
            var powers = i == 1 || i == 2 * n + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
            var length = j2 - k1 + 1;
            if (length <= 0)
            {
                continue;
            }

            // Entries j1−k1 .. j2−k1 of the full convolution of V0's window with the powers.
            var max = 0.0;
            for (var c = j1 - k1; c <= j2 - k1; c++)
            {
                var sum = 0.0;
                // Indices past either array's end contribute nothing, as when NumPy's slices are cut short.
                for (var q = Math.Max(0, c - Math.Min(length, powers.Length) + 1); q <= c && q < length && k1 - v0s + q < v0.Length; q++)
                {
                    sum += v0[k1 - v0s + q] * powers[c - q];
                }

                v1[c - (j1 - k1)] = sum;
                max = Math.Max(max, sum);
            }

            if (max > 0 && max < ScaleDown)
            {
                for (var q = 0; q < v1.Length; q++)
                {
                    v1[q] *= ScaleUp;
                }

                exponent -= ScaleExponent;
            }

            v1s = v0s + j1 - k1;
        }

        var answer = v1[n - v1s];
        for (long m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > ScaleUp)
            {
                answer *= ScaleDown;
                exponent += ScaleExponent;
            }

            answer *= m;
        }

        return Math.Clamp(Math.ScaleB(answer, (int)exponent), 0, 1);
    }

    private static (long J1, long J2) PomeranzRow(long i, long n, long ll, int ceilf, int roundf)
    {
        long j1, j2;
        if (i == 0)
        {
            (j1, j2) = (-ll - ceilf - 1, ll + ceilf - 1);
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                (j1, j2) = half == n + 1
                    ? (n - ll - ceilf - 1, n + ll + ceilf - 1)
                    : (half - 1 - ll - roundf - 1, half + ll - 1 + ceilf - 1);
            }
            else
            {
                (j1, j2) = (half - 1 - ll - 1, half + ll + roundf - 1);
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>The Pelz–Good expansion of P(D_n ≤ x) in powers of 1/√n, with each term in its small-z (theta function) form.</summary>
    private static double PelzGood(long n, double x)
    {
        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        const double Pi2 = Math.PI * Math.PI, Pi4 = Pi2 * Pi2, Pi6 = Pi4 * Pi2;
        var qlog = -Pi2 / 8 / z2;
        if (qlog < -708)
        {
            return 0.0;
        }

        var q = Math.Exp(qlog);
        double k1a = -z2, k1b = Pi2 / 4;
        double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * Pi2 / 4, k2c = Pi4 * (1 - 2 * z2) / 16;
        double k3d = Pi6 * (5 - 30 * z2) / 64, k3c = Pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = Pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * Math.Pow(z, 8);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxk; k > 0; k--)
        {
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qpower = Math.Pow(q, 8 * k);
            s0 = s0 * qpower + 1.0;
            s1 = s1 * qpower + k1a + k1b * m2;
            s2 = s2 * qpower + k2a + k2b * m2 + k2c * m4;
            s3 = s3 * qpower + k3a + k3b * m2 + k3c * m4 + k3d * m6;
        }

        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        var scale = q * sqrt2Pi;
        s0 *= scale / z;
        s1 *= scale / (6 * z4);
        s2 *= scale / (72 * Math.Pow(z, 7));
        s3 *= scale / (6480 * Math.Pow(z, 10));

        var q2 = Math.Exp(-Pi2 / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double extra2 = 0, extra3 = 0;
        for (var k = maxk; k > 0; k--)
        {
            double k2 = (double)k * k, qk = Math.Pow(q2, k2), kpi = Math.PI * k;
            extra2 += k2 * qk;
            extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
        }

        s2 += extra2 * Pi2 * sqrt2Pi / (-36 * z3);
        s3 += extra3 * Pi2 * sqrt2Pi / (216 * z6);
        var rootN = Math.Sqrt(n);
        return s0 + s1 / rootN + s2 / n + s3 / (n * rootN);
    }

    private static double[,] Identity(int m)
    {
        var identity = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            identity[i, i] = 1;
        }

        return identity;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var c = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < m; k++)
            {
                var aik = a[i, k];
                if (aik == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    c[i, j] += aik * b[k, j];
                }
            }
        }

        return c;
    }

    private static void Scale(double[,] a, double factor)
    {
        var m = a.GetLength(0);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] *= factor;
            }
        }
    }
}
