"""How well partner suggestions find the right group: hand-written department themes, each with the
group that really fits it, mixed into the demo city (a seed_demo step) and measured by recall@3 and
MRR (`manage.py evaluate_suggestions`).

Each group shares only one activity field with its theme and no form of collaboration, as many real
pairs do: the generated demo groups that share more fields and forms are the competition, so only
the texts can bring the right group up. The texts spell words differently on the two sides (子ども /
子供, つながり / 繋がり) as real people do.
"""

import datetime

from django.utils import timezone

from listings.models import Listing
from organizations.models import ActivityField, Area, CollaborationForm, Department, Organization

# (department, theme title, theme body, theme problem, theme fields, theme forms,
#  group name, よみがな, kind, group description, group activities, group fields, group forms)
PAIRS = [
    (
        "高齢福祉課",
        "市民後見人の養成と活動の支援",
        "認知症や一人暮らしの高齢者が増え、成年後見制度を必要とする方が増えています。"
        "専門職だけでは担いきれないため、市民後見人を養成し、活動を支える仕組みを一緒に作りたいと考えています。",
        "成年後見の申立てが年々増えていますが、後見人の担い手が不足しています。",
        [1],
        ["commission", "committee"],
        "成年後見サポートあゆみ",
        "せいねんこうけんさぽーとあゆみ",
        "npo",
        "成年後見制度の利用相談と、市民後見人の育成に取り組んでいます。"
        "養成講座の修了生が後見人として活動できるよう、弁護士・司法書士と連携して支えています。",
        "後見制度の無料相談会、市民後見人養成講座、修了生の勉強会",
        [1, 10],
        ["information"],
    ),
    (
        "子育て支援課",
        "子ども食堂のネットワークづくりと食材の確保",
        "市内の子ども食堂は増えましたが、食材の確保や衛生管理、ボランティアの確保に悩む運営者が多くいます。"
        "フードドライブで集めた食品を届ける仕組みと、運営者同士の情報交換の場を作りたいと考えています。",
        "子ども食堂ごとに食材や人手の過不足があり、食品ロスも生まれています。",
        [13, 1],
        ["cooperation", "committee"],
        "こども食堂ネットわかば",
        "こどもしょくどうねっとわかば",
        "voluntary",
        "市内のこども食堂をつなぐネットワークです。企業や農家から寄付された食材をフードドライブで集め、"
        "各食堂に配っています。食品ロスを減らしながら、子供たちに温かい食事を届けます。",
        "フードドライブ、食材の配分、運営者向けの衛生講習",
        [13, 18],
        ["information"],
    ),
    (
        "環境政策課",
        "外来種の駆除と在来種の保全",
        "市内の池や谷戸でアメリカザリガニやオオキンケイギクなどの外来種が増え、在来の生き物が減っています。"
        "生息状況の調査と駆除を市民と一緒に進めたいと考えています。",
        "外来種の分布がわからず、駆除の計画が立てられていません。",
        [7],
        ["cooperation", "planning"],
        "谷戸の生きもの調査隊",
        "やとのいきものちょうさたい",
        "voluntary",
        "谷戸の田んぼや池で、ホタルやメダカなど在来種の生きもの調査を続けています。"
        "アメリカザリガニの駆除や、オオキンケイギクの抜き取りにも取り組んでいます。",
        "毎月の生きもの調査、外来生物の駆除、観察会",
        [7, 15],
        ["information"],
    ),
    (
        "防災対策課",
        "要配慮者の避難支援と福祉避難所の運営",
        "障害のある方や聴覚に障害のある方など、災害時に情報が届きにくい要配慮者の避難支援を強化します。"
        "避難所での情報保障や、福祉避難所の運営訓練に協力していただける団体を求めています。",
        "避難所で放送や掲示の情報が、聞こえない方・見えない方に届いていません。",
        [8, 9],
        ["cooperation", "co_hosting"],
        "手話と防災の会かもめ",
        "しゅわとぼうさいのかいかもめ",
        "voluntary",
        "聞こえない人と聞こえる人が一緒に、災害時の情報保障を考える会です。"
        "避難所で使える筆談ボードや手話の掲示を作り、要配慮者を交えた避難訓練を行っています。",
        "手話講習、避難訓練への参加、情報保障グッズの製作",
        [8, 2],
        ["information"],
    ),
    (
        "国際交流課",
        "やさしい日本語による生活情報の発信",
        "外国人市民が増え、ごみの出し方や防災、子育ての情報が伝わっていません。"
        "市の案内をやさしい日本語に書き換え、外国人市民に届ける取り組みを一緒に進めたいと考えています。",
        "多言語への翻訳だけでは追いつかず、外国人市民が必要な情報を受け取れていません。",
        [11],
        ["commission", "cooperation"],
        "やさしい日本語ひろめ隊",
        "やさしいにほんごひろめたい",
        "voluntary",
        "やさしい日本語の使い方を広める市民グループです。行政の文書をやさしい日本語に書き換える講座を開き、"
        "外国につながる住民と一緒に、わかりやすい案内を作っています。",
        "書き換え講座、生活情報のやさしい日本語版の作成",
        [11, 2],
        ["information"],
    ),
    (
        "図書館",
        "子どもの読書活動とおはなし会の充実",
        "子ども読書活動推進計画に基づき、乳幼児からの読書習慣づくりを進めています。"
        "図書館や公民館でのおはなし会、絵本の読み聞かせを一緒に担っていただける団体を求めています。",
        "おはなし会の担い手が足りず、開催回数が減っています。",
        [2, 6],
        ["cooperation", "commission"],
        "絵本の読み聞かせグループぽけっと",
        "えほんのよみきかせぐるーぷぽけっと",
        "voluntary",
        "絵本の読み聞かせとわらべうたを、子供たちと保護者に届けています。"
        "保育園や小学校での朝の読み聞かせ、季節のおはなし会を続けて二十年になります。",
        "読み聞かせ、わらべうた、手遊び、読み聞かせボランティア講座",
        [2, 13],
        ["information"],
    ),
    (
        "産業振興課",
        "商店街の空き店舗を使ったチャレンジショップ",
        "商店街の空き店舗が増えています。創業を目指す方が低い家賃で試しに出店できるチャレンジショップを開き、"
        "開業までを支える仕組みを一緒に作りたいと考えています。",
        "空き店舗が埋まらず、商店街のにぎわいが失われています。",
        [16],
        ["commission", "cooperation"],
        "まちの起業家ネットワーク",
        "まちのきぎょうかねっとわーく",
        "voluntary",
        "創業を目指す人と先輩起業家をつなぐネットワークです。起業相談会や創業塾を開き、"
        "空き店舗を使った期間限定のチャレンジショップの運営も手がけています。",
        "起業相談会、創業塾、チャレンジショップの運営",
        [16, 17],
        ["information"],
    ),
    (
        "健康増進課",
        "働く世代の心の健康とゲートキーパーの養成",
        "自殺対策計画に基づき、悩みを抱えた人に気づき、声をかけ、話を聴き、つなぐゲートキーパーを増やします。"
        "養成研修の講師や、職場での出前講座を担っていただける団体を求めています。",
        "働く世代の心の不調が相談につながらず、孤立しています。",
        [1],
        ["commission", "co_hosting"],
        "こころの傾聴ひだまり",
        "こころのけいちょうひだまり",
        "npo",
        "傾聴ボランティアの養成と電話相談を行っています。自殺予防のゲートキーパー研修の講師を務め、"
        "職場のメンタルヘルス講座にも出向いています。",
        "傾聴講座、電話相談、ゲートキーパー研修",
        [1, 12],
        ["information"],
    ),
    (
        "交通政策課",
        "高齢者の買い物と通院を支える移動支援",
        "バス路線の減便で、高齢者が買い物や通院に出かけにくくなっています。"
        "地域の送迎ボランティアや乗り合いの移動支援を、住民と一緒に立ち上げたいと考えています。",
        "坂の多い住宅地で、免許を返納した高齢者の外出が減っています。",
        [3, 9],
        ["cooperation", "planning"],
        "おでかけ送迎サービスみちくさ",
        "おでかけそうげいさーびすみちくさ",
        "npo",
        "免許を返納した高齢者の通院や買い物を、ボランティアの運転で送迎しています。"
        "乗り合いで移動する仕組みをつくり、外出の機会を増やしています。",
        "福祉有償運送、買い物ツアー、運転ボランティアの研修",
        [3, 1],
        ["information"],
    ),
    (
        "資源循環課",
        "海洋プラスチックごみを減らす海岸清掃",
        "海岸に打ち上げられるプラスチックごみが増えています。"
        "定期的な海岸清掃と、拾ったごみの調査を通じて、マイクロプラスチックの問題を市民に伝えたいと考えています。",
        "清掃の参加者が固定化し、ごみの発生を減らす啓発につながっていません。",
        [7],
        ["co_hosting", "cooperation"],
        "ビーチクリーンなぎさ",
        "びーちくりーんなぎさ",
        "voluntary",
        "毎月第一日曜日に海岸で清掃活動をしています。拾ったごみを分類して記録し、"
        "海洋プラスチックやマイクロプラスチックについての出前授業も行っています。",
        "海岸清掃、漂着ごみの調査、出前授業",
        [7, 4],
        ["information"],
    ),
    (
        "青少年課",
        "不登校の子どもの居場所づくり",
        "学校に行きづらい子どもが増えています。学校以外で安心して過ごせる居場所と、"
        "保護者が相談できる場を、フリースクールなどの民間団体と連携して広げたいと考えています。",
        "不登校の子どもと保護者が、学校以外の相談先を知らずに孤立しています。",
        [13, 2],
        ["cooperation", "information"],
        "フリースペースそらいろ",
        "ふりーすぺーすそらいろ",
        "npo",
        "不登校の子供たちが自分のペースで過ごせるフリースペースを運営しています。"
        "学習の手伝いや体験活動のほか、保護者の会を開いて親の孤立を防いでいます。",
        "フリースペースの運営、保護者の会、体験活動",
        [13, 10],
        ["endorsement"],
    ),
    (
        "障害福祉課",
        "障害のある人の就労体験と農福連携",
        "障害のある人が地域で働く場を広げるため、農業分野での就労体験を進めます。"
        "農家と福祉事業所をつなぐ農福連携に取り組む団体を求めています。",
        "障害のある人の就労の場が限られ、農業の担い手も不足しています。",
        [1, 17],
        ["cooperation", "commission"],
        "農福連携ファームみのり",
        "のうふくれんけいふぁーむみのり",
        "npo",
        "耕作を手伝ってほしい農家と、働きたい障がいのある人をつなぐ農福連携に取り組んでいます。"
        "野菜の収穫や袋詰めの就労体験を受け入れています。",
        "農作業の就労体験、農家との橋渡し、野菜の販売",
        [17, 5],
        ["information"],
    ),
    (
        "男女共同参画課",
        "若い世代へのデートDV予防講座",
        "交際相手からの暴力（デートDV）の相談が若い世代に増えています。"
        "中学校・高校でのデートDV予防講座と、相談窓口の周知を一緒に進めたいと考えています。",
        "被害に気づかず、相談窓口を知らない若者が多くいます。",
        [12, 10],
        ["commission", "co_hosting"],
        "デートDV防止プロジェクトこもれび",
        "でーとでぃーぶいぼうしぷろじぇくとこもれび",
        "voluntary",
        "中高生と大学生にデートDVの予防教育を届けています。"
        "学校への出前講座や、対等な関係を考えるワークショップを開いています。",
        "予防講座、ワークショップ、啓発カードの作成",
        [12, 2],
        ["information"],
    ),
    (
        "農水産課",
        "耕作放棄地の再生と市民農園",
        "高齢化で耕作放棄地が増えています。草刈りや開墾で農地を再生し、"
        "市民農園や体験農園として活用する取り組みを一緒に進めたいと考えています。",
        "耕作放棄地が荒れ、害獣や不法投棄の原因にもなっています。",
        [5],
        ["cooperation", "planning"],
        "畑を耕す会つちのこ",
        "はたけをたがやすかいつちのこ",
        "voluntary",
        "耕作放棄地を借りて開墾し、みんなで野菜を育てています。"
        "草刈りから始めた畑は今では体験農園になり、親子の収穫体験も開いています。",
        "開墾と草刈り、体験農園、収穫祭",
        [5, 13],
        ["information"],
    ),
    (
        "文化生涯学習課",
        "地域の歴史資料のデジタルアーカイブ化",
        "旧家に残る古文書や古い写真が失われつつあります。"
        "資料を調べ、撮影し、デジタルアーカイブとして公開する作業を市民と一緒に進めたいと考えています。",
        "資料の所在がわからず、持ち主の高齢化で散逸のおそれがあります。",
        [6],
        ["cooperation", "commission"],
        "郷土の記憶を残す会",
        "きょうどのきおくをのこすかい",
        "voluntary",
        "古文書の解読や古い写真の聞き取り調査を続けています。"
        "集めた写真をスキャンしてデジタルアーカイブにまとめ、郷土史の展示も開いています。",
        "古文書を読む会、写真の聞き取り、郷土史展示",
        [6, 14],
        ["information"],
    ),
    (
        "地域協働課",
        "多世代のつながりを楽しめる地域の拠点づくり",
        "自治会の加入率が下がり、近所の顔の見える関係が薄れています。"
        "子どもから高齢者までが気軽に立ち寄り、つながりを楽しめる多世代交流の拠点を作りたいと考えています。",
        "世代をこえて知り合う機会が少なく、地域の支え合いが弱まっています。",
        [3, 9],
        ["cooperation", "committee"],
        "多世代交流サロンひなた",
        "たせだいこうりゅうさろんひなた",
        "voluntary",
        "空き家を使って、赤ちゃんから高齢者までが集う多世代交流サロンを開いています。"
        "昔遊びや食事会を通じて、世代をこえた繋がりを楽しむ場になっています。",
        "サロンの運営、昔遊びの会、食事会",
        [3, 13],
        ["information"],
    ),
]


def seed(ctx):
    """seed_demo step: the themes (published department needs) and their groups (published)."""
    now = timezone.now()
    fields = {af.number: af for af in ActivityField.objects.all()}
    forms = {cf.code: cf for cf in CollaborationForm.objects.all()}
    areas = list(Area.objects.order_by("order"))
    citywide = next((a for a in areas if a.is_citywide), None)
    local = [a for a in areas if not a.is_citywide] or areas
    main = ctx.made.get("main_departments") or {}
    for i, pair in enumerate(PAIRS):
        (dept_name, title, body, problem, t_fields, t_forms, name, kana, kind, desc, acts, g_fields, g_forms) = pair
        department = main.get(dept_name) or Department.objects.filter(name=dept_name).order_by("id").first()
        theme = Listing.objects.create(
            kind=Listing.Kind.NEED,
            owner=department.party,
            title=title,
            body=body,
            problem=problem,
            area=citywide,
            status=Listing.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=i + 1),
            period_start=timezone.localdate(),
            screen_public_interest=True,
            screen_fits_plans=True,
            screen_department_agrees=True,
        )
        theme.activity_fields.set([fields[n] for n in t_fields])
        theme.collaboration_forms.set([forms[c] for c in t_forms])
        group = Organization.objects.create(
            name=name,
            name_kana=kana,
            kind=kind,
            description=desc,
            activities_summary=acts,
            area=local[i % len(local)],
            is_published=True,
            review_status="published",
            published_at=now - datetime.timedelta(days=30 + i),
        )
        group.activity_fields.set([fields[n] for n in g_fields])
        group.open_forms.set([forms[c] for c in g_forms])
    ctx.count("evaluation pairs", len(PAIRS))


def evaluate(limit: int = 10) -> dict:
    """Rank of each pair's group among the suggestions for its theme; recall@3 and MRR over the pairs."""
    from .suggestions import suggest

    ranks = []
    for pair in PAIRS:
        theme = Listing.objects.filter(title=pair[1], status=Listing.Status.PUBLISHED).order_by("-id").first()
        group = Organization.objects.filter(name=pair[6]).order_by("-id").first()
        if theme is None or group is None:
            raise LookupError(f"evaluation pair not seeded: {pair[1]}")
        party_ids = [s.party_id for s in suggest(theme, limit=limit)]
        ranks.append((pair[1], party_ids.index(group.party_id) + 1 if group.party_id in party_ids else None))
    n = len(ranks)
    return {
        "pairs": n,
        "recall_at_3": sum(1 for _t, r in ranks if r and r <= 3) / n,
        "mrr": sum(1 / r for _t, r in ranks if r) / n,
        "ranks": ranks,
    }
