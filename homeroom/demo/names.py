"""Culturally plausible given and family names for the demo district, by naming tradition."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    # Parents and grandparents carry the names of their generation, children those of theirs.
    adult_female: tuple[str, ...] = ()
    adult_male: tuple[str, ...] = ()

    def given(self, sex: str, adult: bool) -> tuple[str, ...]:
        if adult:
            pool = self.adult_female if sex == "female" else self.adult_male
            if pool:
                return pool
        return self.female if sex == "female" else self.male


def _split(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


POOLS: dict[str, NamePool] = {
    "english": NamePool(
        female=_split("Olivia, Emma, Ava, Charlotte, Sophia, Amelia, Isabella, Mia, Evelyn, Harper, Abigail, Emily, "
                      "Ella, Elizabeth, Avery, Scarlett, Grace, Chloe, Madison, Riley, Nora, Lily, Hazel, Aubrey, "
                      "Zoey, Hannah, Layla, Brooklyn, Savannah, Claire, Caroline, Kennedy, Maya, Jordyn, Aaliyah"),
        male=_split("Liam, Noah, Oliver, Elijah, James, William, Benjamin, Lucas, Henry, Theodore, Jackson, Aiden, "
                    "Logan, Owen, Samuel, Jacob, Ethan, Daniel, Michael, Mason, Jayden, Carter, Wyatt, Ryan, "
                    "Nathan, Connor, Dylan, Caleb, Isaiah, Josiah, Jaxon, Christopher, Brandon, Tyler, Jalen"),
        family=_split("Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Thomas, "
                      "Moore, Martin, Jackson, Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, "
                      "Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson, Carter, Mitchell, Roberts, "
                      "Murphy, Sullivan, O'Brien, Kelly, Fitzgerald, Russo, Esposito, Romano, DeLuca, Marino, "
                      "Costa, Bianchi, Gagnon, Bouchard, Washington, Freeman, Brooks, Coleman, Jenkins, Simmons"),
        adult_female=_split("Jennifer, Jessica, Sarah, Amanda, Ashley, Melissa, Nicole, Stephanie, Heather, "
                            "Elizabeth, Lauren, Megan, Rachel, Tiffany, Danielle, Kimberly, Christina, Erin, "
                            "Keisha, Tanisha, Monique, Courtney, Patricia, Linda, Barbara, Susan, Karen, Donna"),
        adult_male=_split("Michael, Christopher, Matthew, Joshua, David, James, Daniel, Robert, John, Joseph, "
                          "Andrew, Ryan, Brian, Kevin, Justin, Jason, Eric, Anthony, Marcus, Terrence, Darnell, "
                          "Richard, Thomas, Steven, Mark, Paul, Gary, Kenneth"),
    ),
    "hispanic": NamePool(
        female=_split("Sofía, Valentina, Camila, Isabella, Mía, Lucía, Valeria, Ximena, Gabriela, Daniela, "
                      "Mariana, Natalia, Victoria, Emily, Génesis, Yaritza, Alondra, Ariana, Aaliyah, Julieta, "
                      "Paola, Nayeli, Renata"),
        male=_split("Mateo, Santiago, Sebastián, Diego, Matías, Alejandro, Nicolás, Samuel, Daniel, Gabriel, "
                    "Adrián, Ángel, Jayden, Luis, José, Carlos, Emiliano, Jesús, Julián, Kevin, Joel, Iker, Dylan"),
        family=_split("García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez, Torres, "
                      "Flores, Rivera, Gómez, Díaz, Cruz, Morales, Reyes, Ortiz, Gutiérrez, Ramos, Vázquez, "
                      "Castillo, Jiménez, Ruiz, Colón, Santiago, Figueroa, Rosario, Meléndez, Quiñones, Vega, "
                      "Soto, Delgado, Medina, Acevedo, Batista, Peña, Núñez"),
        adult_female=_split("María, Ana, Carmen, Rosa, Yolanda, Marisol, Lourdes, Maribel, Gladys, Elena, "
                            "Leticia, Patricia, Alejandra, Yesenia, Jessica, Marta, Teresa, Luz, Noemí, Glorimar"),
        adult_male=_split("José, Juan, Luis, Carlos, Jorge, Miguel, Pedro, Francisco, Manuel, Rafael, Ricardo, "
                          "Héctor, Fernando, Javier, Roberto, Edwin, Wilfredo, Ángel, Eduardo, Ramón"),
    ),
    "brazilian": NamePool(
        female=_split("Ana Clara, Beatriz, Larissa, Maria Eduarda, Júlia, Giovanna, Isabela, Letícia, Manuela, "
                      "Yasmin, Lara, Alice, Heloísa, Valentina, Lívia"),
        male=_split("Gabriel, Lucas, Matheus, Guilherme, Pedro Henrique, Rafael, Enzo, Davi, Arthur, Gustavo, "
                    "Felipe, João Pedro, Thiago, Caio, Bernardo"),
        family=_split("Silva, Santos, Oliveira, Souza, Pereira, Lima, Carvalho, Ferreira, Rodrigues, Almeida, "
                      "Costa, Gomes, Ribeiro, Martins, Rocha, Barbosa, Araújo, Cardoso, Teixeira, Moreira"),
        adult_female=_split("Fernanda, Juliana, Patrícia, Adriana, Cristiane, Luciana, Renata, Vanessa, Simone, "
                            "Aline, Márcia, Rosângela, Sandra, Tatiane"),
        adult_male=_split("Marcelo, Rodrigo, Anderson, Fábio, Leandro, Alexandre, Eduardo, Marcos, Ricardo, "
                          "Sérgio, Paulo, Wagner, Cláudio, Roberto"),
    ),
    "haitian": NamePool(
        female=_split("Widline, Roseline, Fabiola, Guerline, Dieula, Naika, Sherly, Mirlande, Esther, Christelle, "
                      "Mackenzie, Nadège, Stéphanie, Jessica, Rose-Merline"),
        male=_split("Jameson, Mackenson, Kervens, Stanley, Ricardo, Wilson, Jean-Marc, Peterson, Woodley, Fritz, "
                    "Samuel, Daniel, Emmanuel, Johnson, Kenley"),
        family=_split("Jean-Baptiste, Pierre, Joseph, Louis, Charles, Saint-Fleur, Désir, Dorvil, Étienne, Augustin, "
                      "Exantus, Bien-Aimé, Toussaint, Jean-Louis, Philippe, Dorsainvil, Célestin, Noël, Lafortune"),
        adult_female=_split("Marie, Nadine, Mireille, Yolette, Guerda, Marlène, Rosemène, Josette, Evelyne, "
                            "Yvrose, Marie-Ange, Magalie"),
        adult_male=_split("Jean, Pierre, Jacques, Frantz, Réginald, Wilner, Joseph, Dieudonné, Patrick, Rony, "
                          "Jean-Claude, Gérald"),
    ),
    "chinese": NamePool(
        female=_split("Xinyi, Zihan, Yuting, Jiahui, Meiling, Ruoxi, Yutong, Shiyu, Mengyao, Wanting, Siqi, Anna"),
        male=_split("Haoran, Zhiwei, Yifan, Junjie, Zihao, Yuxuan, Jiarui, Tianyu, Hao, Kevin, Ryan, Boyang"),
        family=_split("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo, Lin, "
                      "He, Gao, Luo"),
        adult_female=_split("Jing, Min, Li, Hong, Yan, Fang, Xiaoling, Hui, Ying, Lei, Qing, Yun"),
        adult_male=_split("Wei, Jun, Gang, Qiang, Lei, Jian, Ming, Tao, Bin, Hui, Feng, Xiaodong"),
    ),
    "arab": NamePool(
        female=_split("Layla, Mariam, Noor, Yasmin, Zainab, Huda, Salma, Jana, Lina, Reem, Aya, Malak, Sara"),
        male=_split("Omar, Yusuf, Karim, Amir, Adam, Ali, Hamza, Zaid, Ibrahim, Youssef, Khaled, Rayan, Ahmad"),
        family=_split("Ahmed, Hassan, Ali, Ibrahim, Mahmoud, Saleh, Haddad, Khalil, Nasser, Abdullah, Mansour, "
                      "Saeed, Al-Hashimi, Darwish, Qasim, Barakat, Hamdan, Aziz, Yousef"),
        adult_female=_split("Fatima, Amal, Rania, Hanan, Samira, Mona, Dalia, Nadia, Lubna, Iman, Rasha, Suha"),
        adult_male=_split("Mohammed, Ahmed, Mahmoud, Khalid, Tariq, Walid, Samir, Bassam, Hussein, Fadi, Nabil, "
                          "Yasser"),
    ),
    "polish": NamePool(
        female=_split("Zofia, Zuzanna, Julia, Maja, Hanna, Lena, Alicja, Oliwia, Natalia, Wiktoria, Amelia, Emilia"),
        male=_split("Jakub, Kacper, Szymon, Filip, Jan, Antoni, Franciszek, Mikołaj, Aleksander, Wojciech, "
                    "Adam, Igor"),
        family=_split("Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, "
                      "Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, "
                      "Piotrowski, Grabowski, Pawlak, Michalski"),
        adult_female=_split("Katarzyna, Agnieszka, Magdalena, Joanna, Anna, Monika, Ewa, Małgorzata, Beata, "
                            "Dorota, Aleksandra, Marta"),
        adult_male=_split("Piotr, Tomasz, Krzysztof, Paweł, Marcin, Michał, Łukasz, Andrzej, Grzegorz, Marek, "
                          "Dariusz, Rafał"),
    ),
    "south_asian": NamePool(
        female=_split("Aanya, Diya, Saanvi, Ananya, Isha, Priya, Riya, Anika, Kavya, Meera"),
        male=_split("Arjun, Aarav, Vivaan, Rohan, Ishaan, Dev, Aditya, Krish, Nikhil, Sahil"),
        family=_split("Patel, Shah, Sharma, Singh, Kumar, Gupta, Desai, Mehta, Reddy, Iyer, Khan, Chowdhury"),
        adult_female=_split("Pooja, Neha, Anjali, Sunita, Kavita, Deepa, Shreya, Rekha"),
        adult_male=_split("Rajesh, Amit, Sanjay, Vikram, Rahul, Anil, Suresh, Manish"),
    ),
    "east_asian_english": NamePool(
        female=_split("Grace, Emily, Chloe, Hannah, Sophie, Claire, Irene, Jenny, Linh, Mai"),
        male=_split("Ethan, Daniel, Justin, Andrew, Brian, Eric, Kevin, Minh, Jason, Lucas"),
        family=_split("Kim, Lee, Park, Choi, Nguyen, Tran, Pham, Le, Chang, Huang, Tanaka, Santos, Reyes"),
        adult_female=_split("Susan, Helen, Michelle, Grace, Thuy, Lan, Jennifer, Amy"),
        adult_male=_split("David, Peter, Steven, James, Tuan, Hung, Daniel, John"),
    ),
}

# Polish family names ending in -ski/-cki/-dzki take -ska/-cka/-dzka for women and girls.
_FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


def family_name_for(family: str, sex: str, tradition: str) -> str:
    if tradition != "polish" or sex != "female":
        return family
    for masculine, feminine in _FEMININE_ENDINGS:
        if family.endswith(masculine):
            return family[: -len(masculine)] + feminine
    return family


def ascii_slug(text: str) -> str:
    """'Wiśniewska' → 'wisniewska', 'Jean-Baptiste' → 'jeanbaptiste': for e-mail addresses."""
    text = text.replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())
